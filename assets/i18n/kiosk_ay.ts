<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ay">
<context>
    <name>Kiosk</name>
    <message>
        <source>Gestante</source>
        <translation>Usurini</translation>
    </message>
    <message>
        <source>Adulto mayor</source>
        <translation>Jilïr jaqi</translation>
    </message>
    <message>
        <source>Discapacidad</source>
        <translation>Discapacidadani</translation>
    </message>
    <message>
        <source>Con niño</source>
        <translation>Wawani</translation>
    </message>
    <message>
        <source>Partidas</source>
        <translation>Partidanaka</translation>
    </message>
    <message>
        <source>Licencias</source>
        <translation>Licencianaka</translation>
    </message>
    <message>
        <source>Caja</source>
        <translation>Qullqi</translation>
    </message>
    <message>
        <source>Informes</source>
        <translation>Yatiyawi</translation>
    </message>
    <message>
        <source>Documentos</source>
        <translation>Qillqanaka</translation>
    </message>
    <message>
        <source>Será atendido en breve</source>
        <translation>Jichhapachaw yanapapxätam</translation>
    </message>
    <message>
        <source>Espera aproximada: %1 a %2 minutos</source>
        <translation>Suyt&apos;aña: %1 - %2 minuto</translation>
    </message>
    <message>
        <source>En este momento ninguna ventanilla atiende este servicio.</source>
        <translation>Jichhax janiw kuna ventanillas aka trámite yanapkiti.</translation>
    </message>
    <message>
        <source>Espera estimada: %1–%2 min</source>
        <translation>Suyt&apos;aña: %1–%2 minuto</translation>
    </message>
    <message>
        <source>Espera estimada: %1 min</source>
        <translation>Suyt&apos;aña: %1 minuto</translation>
    </message>
    <message>
        <source>Espera estimada: pocos minutos</source>
        <translation>Suyt&apos;aña: juk&apos;a minutonaka</translation>
    </message>
    <message>
        <source>ATENCIÓN PREFERENCIAL – %1</source>
        <translation>NAYRAQATA YANAPT&apos;AWI – %1</translation>
    </message>
    <message>
        <source>Espere su llamado en la pantalla</source>
        <translation>Pantallan jawsatäñam suyt&apos;am</translation>
    </message>
    <message>
        <source>REIMPRESIÓN</source>
        <translation>WASITAT IMPRIMITA</translation>
    </message>
    <message>
        <source>Tasa por confirmar</source>
        <translation>Chanipa janiw yatiskiti</translation>
    </message>
    <message>
        <source>Gratuito</source>
        <translation>Inaki</translation>
    </message>
    <message>
        <source>Costo: S/ %1</source>
        <translation>Chanipa: S/ %1</translation>
    </message>
    <message>
        <source>Resuelve: %1</source>
        <translation>Amtiri: %1</translation>
    </message>
    <message>
        <source>%1 días hábiles</source>
        <translation>%1 irnaqaña uru</translation>
    </message>
    <message>
        <source>Recursos: %1</source>
        <translation>Recursonaka: %1</translation>
    </message>
    <message>
        <source>Se entrega el mismo día</source>
        <translation>Uka pachpa urukiw churasma</translation>
    </message>
    <message>
        <source>Plazo: %1 días hábiles</source>
        <translation>%1 irnaqaña urunakana</translation>
    </message>
    <message>
        <source>Toque su trámite para sacar turno</source>
        <translation>Turnomataki trámitema ch&apos;iqt&apos;am</translation>
    </message>
    <message>
        <source>Atención preferencial</source>
        <translation>Nayraqata yanapt&apos;awi</translation>
    </message>
    <message>
        <source>Ley 28683: gestantes, adultos mayores, personas con discapacidad y niños o quienes los cargan son atendidos primero.</source>
        <translation>Ley 28683: usurini warminaka, jilïr jaqinaka, discapacidadani jaqinaka, wawanakampi nayraqataw yanapt&apos;atapxi.</translation>
    </message>
    <message>
        <source>Trámites</source>
        <translation>Trámitenaka</translation>
    </message>
    <message>
        <source>Consultar</source>
        <translation>Jiskt&apos;aña</translation>
    </message>
    <message>
        <source>Tengo cita</source>
        <translation>Citaxaw utji</translation>
    </message>
    <message>
        <source>Atención preferencial: %1</source>
        <translation>Nayraqata yanapt&apos;awi: %1</translation>
    </message>
    <message>
        <source>Toque su trámite</source>
        <translation>Trámitema ch&apos;iqt&apos;am</translation>
    </message>
    <message>
        <source>Buscando…</source>
        <translation>Thaqaskiwa…</translation>
    </message>
    <message>
        <source>Verificando…</source>
        <translation>Chiqanchaskiwa…</translation>
    </message>
    <message>
        <source>No encontramos el expediente {0}. Revise el número en su cargo.</source>
        <translation>Janiw {0} expedientx jikxatktanti. Cargomanx jakhüwip uñakipam.</translation>
    </message>
    <message>
        <source>Recibido, en trámite</source>
        <translation>Katuqatawa, sarantaskiwa</translation>
    </message>
    <message>
        <source>Observado: debe corregir</source>
        <translation>Askichañawa</translation>
    </message>
    <message>
        <source>En evaluación</source>
        <translation>Uñakipatawa</translation>
    </message>
    <message>
        <source>Aprobado: puede recogerlo</source>
        <translation>Walikiwa: apsuñani</translation>
    </message>
    <message>
        <source>Denegado</source>
        <translation>Janiw katuqatakiti</translation>
    </message>
    <message>
        <source>Entregado</source>
        <translation>Churatawa</translation>
    </message>
    <message>
        <source>Anulado</source>
        <translation>Chhaqtayatawa</translation>
    </message>
    <message>
        <source>Escriba el número de su expediente</source>
        <translation>Expedientiman jakhüwip qillqt&apos;am</translation>
    </message>
    <message>
        <source>Está en su cargo</source>
        <translation>Cargomanxa utjiwa</translation>
    </message>
    <message>
        <source>Su cita %1 del %2 a las %3 quedó cancelada. Su lugar queda libre para otra persona.</source>
        <translation>%2 %3 horana %1 citamax chhaqtayatawa. Chiqamax yaqha jaqitakiw jist&apos;arata.</translation>
    </message>
    <message>
        <source>Cancelar la cita %1: escriba el DNI con el que la reservó</source>
        <translation>%1 cita chhaqtayaña: mayiñatak DNI-ma qillqt&apos;am</translation>
    </message>
    <message>
        <source>Documento auténtico</source>
        <translation>Chiqpach qillqata</translation>
    </message>
    <message>
        <source>Firma revocada</source>
        <translation>Firma chhaqtayatawa</translation>
    </message>
    <message>
        <source>No se pudo verificar</source>
        <translation>Janiw chiqanchañjamäkiti</translation>
    </message>
    <message>
        <source>Cambiar la hora de la cita %1: escriba el DNI con el que la reservó</source>
        <translation>%1 citan horap turkaña: mayiñatak DNI-ma qillqt'am</translation>
    </message>
    <message>
        <source>Tengo cita: escriba su DNI o el código de su cita</source>
        <translation>Citaxaw utji: DNI-ma jan ukax citaman codigop qillqt&apos;am</translation>
    </message>
    <message>
        <source>Recibirá un turno que se llama a la hora de su cita. Si llega tarde, su turno sigue la cola normal.</source>
        <translation>Citaman horapa jawsata turno katuqäta. Qhipa purinïta ukhaxa, turnomax taqinin filapan suyani.</translation>
    </message>
    <message>
        <source>¿No tiene cita? Reserve una para otro día</source>
        <translation>¿Janit citamax utjki? Yaqha urutak mayim</translation>
    </message>
    <message>
        <source>Cancelar mi cita (escriba antes su código)</source>
        <translation>Citaxa chhaqtayaña (nayraqat codigop qillqt&apos;am)</translation>
    </message>
    <message>
        <source>Cambiar la hora de mi cita (escriba antes su código)</source>
        <translation>Citaxan horap turkaña (nayraqat codigop qillqt'am)</translation>
    </message>
    <message>
        <source>Cancelar la cita</source>
        <translation>Cita chhaqtayaña</translation>
    </message>
    <message>
        <source>Ver horas libres</source>
        <translation>Ch'usa horanak uñjaña</translation>
    </message>
    <message>
        <source>lunes</source>
        <translation>lunisa</translation>
    </message>
    <message>
        <source>martes</source>
        <translation>martisa</translation>
    </message>
    <message>
        <source>miércoles</source>
        <translation>mirkulisa</translation>
    </message>
    <message>
        <source>jueves</source>
        <translation>juywisa</translation>
    </message>
    <message>
        <source>viernes</source>
        <translation>wirnisa</translation>
    </message>
    <message>
        <source>sábado</source>
        <translation>sawaru</translation>
    </message>
    <message>
        <source>domingo</source>
        <translation>tuminku</translation>
    </message>
    <message>
        <source>Reservar cita: elija el trámite</source>
        <translation>Cita mayiña: trámitem ajllim</translation>
    </message>
    <message>
        <source>Elija el día</source>
        <translation>Uru ajllim</translation>
    </message>
    <message>
        <source>Elija la hora</source>
        <translation>Hora ajllim</translation>
    </message>
    <message>
        <source>Escriba su DNI</source>
        <translation>DNI-ma qillqt&apos;am</translation>
    </message>
    <message>
        <source>Escriba su nombre</source>
        <translation>Sutim qillqt&apos;am</translation>
    </message>
    <message>
        <source>¿Cambiar su cita a esta hora?</source>
        <translation>¿Citamax aka horar turkañati?</translation>
    </message>
    <message>
        <source>Cita reservada: anote su código</source>
        <translation>Cita mayitawa: codigom qillqt&apos;asim</translation>
    </message>
    <message>
        <source>Hora cambiada: anote su código</source>
        <translation>Horax turkatawa: codigom qillqt'asim</translation>
    </message>
    <message>
        <source>%1, %2 a las %3. Con este código o su DNI registre su llegada en el quiosco ese día.</source>
        <translation>%1, %2 %3 horana. Uka urux aka codigompi jan ukax DNI-mampi quioscon purinïm qillqt&apos;ayam.</translation>
    </message>
    <message>
        <source>Su cita %1 es ahora el %2 a las %3. Con este código o su DNI registre su llegada ese día.</source>
        <translation>%1 citamax jichhax %2 %3 horanawa. Uka urux aka codigompi jan ukax DNI-mampi purinïm qillqt'ayam.</translation>
    </message>
    <message>
        <source>Su cita %1 del %2 a las %3 pasa al %4 a las %5.</source>
        <translation>%2 %3 horana %1 citamax %4 %5 horar turkataniwa.</translation>
    </message>
    <message>
        <source>No quedan horas libres en los próximos días.</source>
        <translation>Jutir urunakanx janiw ch&apos;usa horanakax utjkiti.</translation>
    </message>
    <message>
        <source>Borrar</source>
        <translation>Pichaña</translation>
    </message>
    <message>
        <source>Reservar</source>
        <translation>Mayiña</translation>
    </message>
    <message>
        <source>Cambiar la hora</source>
        <translation>Hora turkaña</translation>
    </message>
    <message>
        <source>Siguiente</source>
        <translation>Arkiri</translation>
    </message>
    <message>
        <source>Registrar llegada</source>
        <translation>Puriñ qillqaña</translation>
    </message>
    <message>
        <source>Buscar</source>
        <translation>Thaqaña</translation>
    </message>
    <message>
        <source>Volver</source>
        <translation>Kutt&apos;aña</translation>
    </message>
    <message>
        <source>Presentado el {0} · vence el {1}</source>
        <translation>{0} uru churata · {1} urkama</translation>
    </message>
    <message>
        <source>Tiene hasta el {0} para corregir. Acérquese a una ventanilla.</source>
        <translation>{0} urkama askichañamataki. Ventanillar jutam.</translation>
    </message>
    <message>
        <source>Pasó el plazo sin respuesta: rige el silencio positivo. Consulte en ventanilla.</source>
        <translation>Urunakax pasxiwa jan kutt&apos;ayasa: silencio positivo. Ventanillan jiskt&apos;am.</translation>
    </message>
    <message>
        <source>Su turno</source>
        <translation>Turnoma</translation>
    </message>
    <message>
        <source>Listo</source>
        <translation>Tukuyataw</translation>
    </message>
    <message>
        <source>Imprimir de nuevo</source>
        <translation>Wasitat imprimiña</translation>
    </message>
    <message>
        <source>Personas delante: %1</source>
        <translation>Nayraqatamankir jaqinaka: %1</translation>
    </message>
    <message>
        <source>Imprimiendo…</source>
        <translation>Imprimiski…</translation>
    </message>
    <message>
        <source>Retire su ticket y espere su llamado en la pantalla</source>
        <translation>Ticketam apsum, pantallan jawsatäñam suyt&apos;am</translation>
    </message>
    <message>
        <source>No se pudo imprimir el ticket. Recuerde su número y espere su llamado en la pantalla.</source>
        <translation>Janiw imprimiñjamäkänti. Numerom amtam, pantallan jawsatäñam suyt&apos;am.</translation>
    </message>
    <message>
        <source>Trámites: requisitos, costo y plazo</source>
        <translation>Trámitenaka: mayitanaka, chanipa, urunaka</translation>
    </message>
    <message>
        <source>Imprimir requisitos</source>
        <translation>Mayitanak imprimiña</translation>
    </message>
    <message>
        <source>Sacar turno</source>
        <translation>Turno apsuña</translation>
    </message>
    <message>
        <source>No hay trámites para mostrar.</source>
        <translation>Janiw trámitex utjkiti.</translation>
    </message>
    <message>
        <source>Solo en algunos casos</source>
        <translation>Yaqhip kutinakanakiw</translation>
    </message>
    <message>
        <source>Requisitos</source>
        <translation>Mayitanaka</translation>
    </message>
    <message>
        <source>Un momento…</source>
        <translation>Mä juk&apos;a suyt&apos;am…</translation>
    </message>
    <message>
        <source>Estamos preparando el sistema. Por favor, espere.</source>
        <translation>Sistema wakicht&apos;asktanwa. Suyt&apos;apxita.</translation>
    </message>
    <message>
        <source>Retire la lista de requisitos</source>
        <translation>Mayitanak apsum</translation>
    </message>
    <message>
        <source>No se pudo imprimir. Puede fotografiar la pantalla.</source>
        <translation>Janiw imprimiñjamäkänti. Pantalla fotografiañamawa.</translation>
    </message>
</context>
</TS>
