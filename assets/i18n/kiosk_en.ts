<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>Kiosk</name>
    <message>
        <source>Gestante</source>
        <translation>Pregnant</translation>
    </message>
    <message>
        <source>Adulto mayor</source>
        <translation>Older adult</translation>
    </message>
    <message>
        <source>Discapacidad</source>
        <translation>Disability</translation>
    </message>
    <message>
        <source>Con niño</source>
        <translation>With child</translation>
    </message>
    <message>
        <source>Partidas</source>
        <translation>Certificates</translation>
    </message>
    <message>
        <source>Licencias</source>
        <translation>Licences</translation>
    </message>
    <message>
        <source>Caja</source>
        <translation>Cashier</translation>
    </message>
    <message>
        <source>Informes</source>
        <translation>Information</translation>
    </message>
    <message>
        <source>Documentos</source>
        <translation>Documents</translation>
    </message>
    <message>
        <source>Será atendido en breve</source>
        <translation>You will be served shortly</translation>
    </message>
    <message>
        <source>Espera aproximada: %1 a %2 minutos</source>
        <translation>Estimated wait: %1 to %2 minutes</translation>
    </message>
    <message>
        <source>En este momento ninguna ventanilla atiende este servicio.</source>
        <translation>No counter is serving this right now.</translation>
    </message>
    <message>
        <source>Espera estimada: %1–%2 min</source>
        <translation>Estimated wait: %1–%2 min</translation>
    </message>
    <message>
        <source>Espera estimada: %1 min</source>
        <translation>Estimated wait: %1 min</translation>
    </message>
    <message>
        <source>Espera estimada: pocos minutos</source>
        <translation>Estimated wait: a few minutes</translation>
    </message>
    <message>
        <source>ATENCIÓN PREFERENCIAL – %1</source>
        <translation>PRIORITY SERVICE – %1</translation>
    </message>
    <message>
        <source>Espere su llamado en la pantalla</source>
        <translation>Wait to be called on the screen</translation>
    </message>
    <message>
        <source>REIMPRESIÓN</source>
        <translation>REPRINT</translation>
    </message>
    <message>
        <source>Tasa por confirmar</source>
        <translation>Fee to be confirmed</translation>
    </message>
    <message>
        <source>Gratuito</source>
        <translation>Free of charge</translation>
    </message>
    <message>
        <source>Costo: S/ %1</source>
        <translation>Fee: S/ %1</translation>
    </message>
    <message>
        <source>Resuelve: %1</source>
        <translation>Decided by: %1</translation>
    </message>
    <message>
        <source>%1 días hábiles</source>
        <translation>%1 working days</translation>
    </message>
    <message>
        <source>Recursos: %1</source>
        <translation>Appeals: %1</translation>
    </message>
    <message>
        <source>Se entrega el mismo día</source>
        <translation>Delivered the same day</translation>
    </message>
    <message>
        <source>Plazo: %1 días hábiles</source>
        <translation>Time limit: %1 working days</translation>
    </message>
    <message>
        <source>Toque su trámite para sacar turno</source>
        <translation>Touch your procedure to get a ticket</translation>
    </message>
    <message>
        <source>Atención preferencial</source>
        <translation>Priority service</translation>
    </message>
    <message>
        <source>Ley 28683: gestantes, adultos mayores, personas con discapacidad y niños o quienes los cargan son atendidos primero.</source>
        <translation>Law 28683: pregnant women, older adults, persons with disabilities and children or those carrying them are served first.</translation>
    </message>
    <message>
        <source>Trámites</source>
        <translation>Procedures</translation>
    </message>
    <message>
        <source>Consultar</source>
        <translation>Check status</translation>
    </message>
    <message>
        <source>Tengo cita</source>
        <translation>Appointment</translation>
    </message>
    <message>
        <source>Atención preferencial: %1</source>
        <translation>Priority service: %1</translation>
    </message>
    <message>
        <source>Toque su trámite</source>
        <translation>Touch your procedure</translation>
    </message>
    <message>
        <source>Buscando…</source>
        <translation>Searching…</translation>
    </message>
    <message>
        <source>Verificando…</source>
        <translation>Verifying…</translation>
    </message>
    <message>
        <source>No encontramos el expediente {0}. Revise el número en su cargo.</source>
        <translation>We could not find file {0}. Check the number on your receipt.</translation>
    </message>
    <message>
        <source>Recibido, en trámite</source>
        <translation>Received, in progress</translation>
    </message>
    <message>
        <source>Observado: debe corregir</source>
        <translation>Observed: you must correct it</translation>
    </message>
    <message>
        <source>En evaluación</source>
        <translation>Under review</translation>
    </message>
    <message>
        <source>Aprobado: puede recogerlo</source>
        <translation>Approved: you can collect it</translation>
    </message>
    <message>
        <source>Denegado</source>
        <translation>Denied</translation>
    </message>
    <message>
        <source>Entregado</source>
        <translation>Delivered</translation>
    </message>
    <message>
        <source>Anulado</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <source>Escriba el número de su expediente</source>
        <translation>Type your file number</translation>
    </message>
    <message>
        <source>Está en su cargo</source>
        <translation>It is on your receipt</translation>
    </message>
    <message>
        <source>Su cita %1 del %2 a las %3 quedó cancelada. Su lugar queda libre para otra persona.</source>
        <translation>Your appointment %1 on %2 at %3 is cancelled. Its place is free for someone else.</translation>
    </message>
    <message>
        <source>Cancelar la cita %1: escriba el DNI con el que la reservó</source>
        <translation>Cancel appointment %1: type the DNI you booked it with</translation>
    </message>
    <message>
        <source>Documento auténtico</source>
        <translation>Authentic document</translation>
    </message>
    <message>
        <source>Firma revocada</source>
        <translation>Signature revoked</translation>
    </message>
    <message>
        <source>No se pudo verificar</source>
        <translation>Could not be verified</translation>
    </message>
    <message>
        <source>Cambiar la hora de la cita %1: escriba el DNI con el que la reservó</source>
        <translation>Change the time of appointment %1: type the DNI you booked it with</translation>
    </message>
    <message>
        <source>Tengo cita: escriba su DNI o el código de su cita</source>
        <translation>Appointment: type your DNI or your booking code</translation>
    </message>
    <message>
        <source>Recibirá un turno que se llama a la hora de su cita. Si llega tarde, su turno sigue la cola normal.</source>
        <translation>You will get a ticket that is called at your appointment time. If you arrive late, your ticket joins the regular queue.</translation>
    </message>
    <message>
        <source>¿No tiene cita? Reserve una para otro día</source>
        <translation>No appointment? Book one for another day</translation>
    </message>
    <message>
        <source>Cancelar mi cita (escriba antes su código)</source>
        <translation>Cancel my appointment (type its code first)</translation>
    </message>
    <message>
        <source>Cambiar la hora de mi cita (escriba antes su código)</source>
        <translation>Change my appointment time (type its code first)</translation>
    </message>
    <message>
        <source>Cancelar la cita</source>
        <translation>Cancel the appointment</translation>
    </message>
    <message>
        <source>Ver horas libres</source>
        <translation>See free times</translation>
    </message>
    <message>
        <source>lunes</source>
        <translation>Monday</translation>
    </message>
    <message>
        <source>martes</source>
        <translation>Tuesday</translation>
    </message>
    <message>
        <source>miércoles</source>
        <translation>Wednesday</translation>
    </message>
    <message>
        <source>jueves</source>
        <translation>Thursday</translation>
    </message>
    <message>
        <source>viernes</source>
        <translation>Friday</translation>
    </message>
    <message>
        <source>sábado</source>
        <translation>Saturday</translation>
    </message>
    <message>
        <source>domingo</source>
        <translation>Sunday</translation>
    </message>
    <message>
        <source>Reservar cita: elija el trámite</source>
        <translation>Book an appointment: choose the procedure</translation>
    </message>
    <message>
        <source>Elija el día</source>
        <translation>Choose the day</translation>
    </message>
    <message>
        <source>Elija la hora</source>
        <translation>Choose the time</translation>
    </message>
    <message>
        <source>Escriba su DNI</source>
        <translation>Type your DNI</translation>
    </message>
    <message>
        <source>Escriba su nombre</source>
        <translation>Type your name</translation>
    </message>
    <message>
        <source>¿Cambiar su cita a esta hora?</source>
        <translation>Move your appointment to this time?</translation>
    </message>
    <message>
        <source>Cita reservada: anote su código</source>
        <translation>Appointment booked: write down your code</translation>
    </message>
    <message>
        <source>Hora cambiada: anote su código</source>
        <translation>Time changed: write down your code</translation>
    </message>
    <message>
        <source>%1, %2 a las %3. Con este código o su DNI registre su llegada en el quiosco ese día.</source>
        <translation>%1, %2 at %3. Check in at the kiosk that day with this code or your DNI.</translation>
    </message>
    <message>
        <source>Su cita %1 es ahora el %2 a las %3. Con este código o su DNI registre su llegada ese día.</source>
        <translation>Your appointment %1 is now on %2 at %3. Check in that day with this code or your DNI.</translation>
    </message>
    <message>
        <source>Su cita %1 del %2 a las %3 pasa al %4 a las %5.</source>
        <translation>Your appointment %1 on %2 at %3 moves to %4 at %5.</translation>
    </message>
    <message>
        <source>No quedan horas libres en los próximos días.</source>
        <translation>No free times are left in the coming days.</translation>
    </message>
    <message>
        <source>Borrar</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>Reservar</source>
        <translation>Book</translation>
    </message>
    <message>
        <source>Cambiar la hora</source>
        <translation>Change the time</translation>
    </message>
    <message>
        <source>Siguiente</source>
        <translation>Next</translation>
    </message>
    <message>
        <source>Registrar llegada</source>
        <translation>Check in</translation>
    </message>
    <message>
        <source>Buscar</source>
        <translation>Search</translation>
    </message>
    <message>
        <source>Volver</source>
        <translation>Back</translation>
    </message>
    <message>
        <source>Presentado el {0} · vence el {1}</source>
        <translation>Filed on {0} · due on {1}</translation>
    </message>
    <message>
        <source>Tiene hasta el {0} para corregir. Acérquese a una ventanilla.</source>
        <translation>You have until {0} to correct it. Please go to a counter.</translation>
    </message>
    <message>
        <source>Pasó el plazo sin respuesta: rige el silencio positivo. Consulte en ventanilla.</source>
        <translation>The deadline passed without an answer: positive silence applies. Ask at a counter.</translation>
    </message>
    <message>
        <source>Su turno</source>
        <translation>Your ticket</translation>
    </message>
    <message>
        <source>Listo</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>Imprimir de nuevo</source>
        <translation>Print again</translation>
    </message>
    <message>
        <source>Personas delante: %1</source>
        <translation>People ahead: %1</translation>
    </message>
    <message>
        <source>Imprimiendo…</source>
        <translation>Printing…</translation>
    </message>
    <message>
        <source>Retire su ticket y espere su llamado en la pantalla</source>
        <translation>Take your ticket and wait to be called on the screen</translation>
    </message>
    <message>
        <source>No se pudo imprimir el ticket. Recuerde su número y espere su llamado en la pantalla.</source>
        <translation>The ticket could not be printed. Remember your number and wait to be called on the screen.</translation>
    </message>
    <message>
        <source>Trámites: requisitos, costo y plazo</source>
        <translation>Procedures: requirements, fee and time limit</translation>
    </message>
    <message>
        <source>Imprimir requisitos</source>
        <translation>Print requirements</translation>
    </message>
    <message>
        <source>Sacar turno</source>
        <translation>Get a ticket</translation>
    </message>
    <message>
        <source>No hay trámites para mostrar.</source>
        <translation>No procedures to show.</translation>
    </message>
    <message>
        <source>Solo en algunos casos</source>
        <translation>Only in some cases</translation>
    </message>
    <message>
        <source>Requisitos</source>
        <translation>Requirements</translation>
    </message>
    <message>
        <source>Un momento…</source>
        <translation>One moment…</translation>
    </message>
    <message>
        <source>Estamos preparando el sistema. Por favor, espere.</source>
        <translation>We are getting the system ready. Please wait.</translation>
    </message>
    <message>
        <source>Retire la lista de requisitos</source>
        <translation>Take the list of requirements</translation>
    </message>
    <message>
        <source>No se pudo imprimir. Puede fotografiar la pantalla.</source>
        <translation>It could not be printed. You may take a photo of the screen.</translation>
    </message>
</context>
</TS>
