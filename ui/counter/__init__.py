"""The clerk's counter window (ventanilla): queue, expedientes, payments, cash closing."""
