"""The supervisor's period report as files: the XLSX workbook and `cac report` (the PDF for the
mayor is printing/pdf/report.py). Both draw the tables of kiosk.services.report."""
