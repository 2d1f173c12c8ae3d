<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="qu">
<context>
    <name>Kiosk</name>
    <message>
        <source>Gestante</source>
        <translation>Wiksayuq</translation>
    </message>
    <message>
        <source>Adulto mayor</source>
        <translation>Yuyaq runa</translation>
    </message>
    <message>
        <source>Discapacidad</source>
        <translation>Discapacidadniyuq</translation>
    </message>
    <message>
        <source>Con niño</source>
        <translation>Wawayuq</translation>
    </message>
    <message>
        <source>Partidas</source>
        <translation>Partidakuna</translation>
    </message>
    <message>
        <source>Licencias</source>
        <translation>Licenciakuna</translation>
    </message>
    <message>
        <source>Caja</source>
        <translation>Qullqi</translation>
    </message>
    <message>
        <source>Informes</source>
        <translation>Willakuy</translation>
    </message>
    <message>
        <source>Documentos</source>
        <translation>Qillqakuna</translation>
    </message>
    <message>
        <source>Será atendido en breve</source>
        <translation>Ratullamanmi yanapasunki</translation>
    </message>
    <message>
        <source>Espera aproximada: %1 a %2 minutos</source>
        <translation>Suyanayki: %1 - %2 minuto</translation>
    </message>
    <message>
        <source>En este momento ninguna ventanilla atiende este servicio.</source>
        <translation>Kunanqa manam mayqin ventanillapas kay trámiteta yanapachkanchu.</translation>
    </message>
    <message>
        <source>Espera estimada: %1–%2 min</source>
        <translation>Suyanayki: %1–%2 minuto</translation>
    </message>
    <message>
        <source>Espera estimada: %1 min</source>
        <translation>Suyanayki: %1 minuto</translation>
    </message>
    <message>
        <source>Espera estimada: pocos minutos</source>
        <translation>Suyanayki: pisi minutolla</translation>
    </message>
    <message>
        <source>ATENCIÓN PREFERENCIAL – %1</source>
        <translation>ÑAWPAQMAN YANAPAY – %1</translation>
    </message>
    <message>
        <source>Espere su llamado en la pantalla</source>
        <translation>Pantallapi waqyasqaykita suyay</translation>
    </message>
    <message>
        <source>REIMPRESIÓN</source>
        <translation>HUKMANTA IMPRIMISQA</translation>
    </message>
    <message>
        <source>Tasa por confirmar</source>
        <translation>Chanin manaraq yachakunchu</translation>
    </message>
    <message>
        <source>Gratuito</source>
        <translation>Mana paganapaq</translation>
    </message>
    <message>
        <source>Costo: S/ %1</source>
        <translation>Chanin: S/ %1</translation>
    </message>
    <message>
        <source>Resuelve: %1</source>
        <translation>Kamachiq: %1</translation>
    </message>
    <message>
        <source>%1 días hábiles</source>
        <translation>%1 llamk&apos;ana p&apos;unchaw</translation>
    </message>
    <message>
        <source>Recursos: %1</source>
        <translation>Recursokuna: %1</translation>
    </message>
    <message>
        <source>Se entrega el mismo día</source>
        <translation>Kunan p&apos;unchawllam quykusunki</translation>
    </message>
    <message>
        <source>Plazo: %1 días hábiles</source>
        <translation>%1 llamk&apos;ana p&apos;unchawpi</translation>
    </message>
    <message>
        <source>Toque su trámite para sacar turno</source>
        <translation>Turnoykipaq trámiteykita ñit&apos;iy</translation>
    </message>
    <message>
        <source>Atención preferencial</source>
        <translation>Ñawpaqman yanapay</translation>
    </message>
    <message>
        <source>Ley 28683: gestantes, adultos mayores, personas con discapacidad y niños o quienes los cargan son atendidos primero.</source>
        <translation>Ley 28683: wiksayuq warmikuna, yuyaqkuna, discapacidadniyuqkuna, wawakuna wawa apaqkunapas ñawpaqtam yanapasqa kanku.</translation>
    </message>
    <message>
        <source>Trámites</source>
        <translation>Trámitekuna</translation>
    </message>
    <message>
        <source>Consultar</source>
        <translation>Tapuy</translation>
    </message>
    <message>
        <source>Tengo cita</source>
        <translation>Citay kan</translation>
    </message>
    <message>
        <source>Atención preferencial: %1</source>
        <translation>Ñawpaqman yanapay: %1</translation>
    </message>
    <message>
        <source>Toque su trámite</source>
        <translation>Trámiteykita ñit&apos;iy</translation>
    </message>
    <message>
        <source>Buscando…</source>
        <translation>Maskachkan…</translation>
    </message>
    <message>
        <source>Verificando…</source>
        <translation>Chiqaqchaspa…</translation>
    </message>
    <message>
        <source>No encontramos el expediente {0}. Revise el número en su cargo.</source>
        <translation>Mana tarinchikchu {0} expedienteta. Cargoykipi numerota qhawariy.</translation>
    </message>
    <message>
        <source>Recibido, en trámite</source>
        <translation>Chaskisqa, purichkan</translation>
    </message>
    <message>
        <source>Observado: debe corregir</source>
        <translation>Allichanayki kachkan</translation>
    </message>
    <message>
        <source>En evaluación</source>
        <translation>Qhawarisqa kachkan</translation>
    </message>
    <message>
        <source>Aprobado: puede recogerlo</source>
        <translation>Allinmi: hamuy apakuq</translation>
    </message>
    <message>
        <source>Denegado</source>
        <translation>Mana chaskisqachu</translation>
    </message>
    <message>
        <source>Entregado</source>
        <translation>Qusqaña</translation>
    </message>
    <message>
        <source>Anulado</source>
        <translation>Chinkachisqa</translation>
    </message>
    <message>
        <source>Escriba el número de su expediente</source>
        <translation>Expedienteykiq numeronta qillqay</translation>
    </message>
    <message>
        <source>Está en su cargo</source>
        <translation>Cargoykipim kachkan</translation>
    </message>
    <message>
        <source>Su cita %1 del %2 a las %3 quedó cancelada. Su lugar queda libre para otra persona.</source>
        <translation>%2 %3 horapi %1 citaykiqa chinkachisqañam. Sitioykiqa huk runapaq kachariqmi.</translation>
    </message>
    <message>
        <source>Cancelar la cita %1: escriba el DNI con el que la reservó</source>
        <translation>%1 citata chinkachiy: mañakusqayki DNI-ta qillqay</translation>
    </message>
    <message>
        <source>Documento auténtico</source>
        <translation>Chiqap qillqa</translation>
    </message>
    <message>
        <source>Firma revocada</source>
        <translation>Firma chinkachisqa</translation>
    </message>
    <message>
        <source>No se pudo verificar</source>
        <translation>Mana chiqaqchayta atikunchu</translation>
    </message>
    <message>
        <source>Cambiar la hora de la cita %1: escriba el DNI con el que la reservó</source>
        <translation>%1 citaq horanta tikray: mañakusqayki DNI-ta qillqay</translation>
    </message>
    <message>
        <source>Tengo cita: escriba su DNI o el código de su cita</source>
        <translation>Citay kan: DNI-ykita utaq citaykiq codigonta qillqay</translation>
    </message>
    <message>
        <source>Recibirá un turno que se llama a la hora de su cita. Si llega tarde, su turno sigue la cola normal.</source>
        <translation>Citayki horapi waqyasqa turnota chaskinki. Qhipa chayamuspaqa, turnoyki llapanpa filanpi suyan.</translation>
    </message>
    <message>
        <source>¿No tiene cita? Reserve una para otro día</source>
        <translation>¿Manachu citayki kan? Huk punchawpaq mañakuy</translation>
    </message>
    <message>
        <source>Cancelar mi cita (escriba antes su código)</source>
        <translation>Citayta chinkachiy (ñawpaqta codigonta qillqay)</translation>
    </message>
    <message>
        <source>Cambiar la hora de mi cita (escriba antes su código)</source>
        <translation>Citaypa horanta tikray (ñawpaqta codigonta qillqay)</translation>
    </message>
    <message>
        <source>Cancelar la cita</source>
        <translation>Citata chinkachiy</translation>
    </message>
    <message>
        <source>Ver horas libres</source>
        <translation>Ch'usaq horakunata qaway</translation>
    </message>
    <message>
        <source>lunes</source>
        <translation>killachaw</translation>
    </message>
    <message>
        <source>martes</source>
        <translation>atichaw</translation>
    </message>
    <message>
        <source>miércoles</source>
        <translation>quyllurchaw</translation>
    </message>
    <message>
        <source>jueves</source>
        <translation>illapachaw</translation>
    </message>
    <message>
        <source>viernes</source>
        <translation>ch&apos;askachaw</translation>
    </message>
    <message>
        <source>sábado</source>
        <translation>k&apos;uychichaw</translation>
    </message>
    <message>
        <source>domingo</source>
        <translation>intichaw</translation>
    </message>
    <message>
        <source>Reservar cita: elija el trámite</source>
        <translation>Citata mañakuy: trámiteykita akllay</translation>
    </message>
    <message>
        <source>Elija el día</source>
        <translation>Punchawta akllay</translation>
    </message>
    <message>
        <source>Elija la hora</source>
        <translation>Horata akllay</translation>
    </message>
    <message>
        <source>Escriba su DNI</source>
        <translation>DNI-ykita qillqay</translation>
    </message>
    <message>
        <source>Escriba su nombre</source>
        <translation>Sutiykita qillqay</translation>
    </message>
    <message>
        <source>¿Cambiar su cita a esta hora?</source>
        <translation>¿Citaykita kay horaman tikranki?</translation>
    </message>
    <message>
        <source>Cita reservada: anote su código</source>
        <translation>Cita mañakusqaña: codigoykita qillqakuy</translation>
    </message>
    <message>
        <source>Hora cambiada: anote su código</source>
        <translation>Hora tikrasqaña: codigoykita qillqakuy</translation>
    </message>
    <message>
        <source>%1, %2 a las %3. Con este código o su DNI registre su llegada en el quiosco ese día.</source>
        <translation>%1, %2 %3 horapi. Chay punchaw kay codigowan utaq DNI-ykiwan quioscopi chayamusqaykita qillqay.</translation>
    </message>
    <message>
        <source>Su cita %1 es ahora el %2 a las %3. Con este código o su DNI registre su llegada ese día.</source>
        <translation>%1 citaykiqa kunanqa %2 %3 horapim. Chay punchaw kay codigowan utaq DNI-ykiwan chayamusqaykita qillqay.</translation>
    </message>
    <message>
        <source>Su cita %1 del %2 a las %3 pasa al %4 a las %5.</source>
        <translation>%2 %3 horapi %1 citaykiqa %4 %5 horamanmi tikranqa.</translation>
    </message>
    <message>
        <source>No quedan horas libres en los próximos días.</source>
        <translation>Hamuq punchawkunapi mana ch&apos;usaq horakuna kanchu.</translation>
    </message>
    <message>
        <source>Borrar</source>
        <translation>Pichay</translation>
    </message>
    <message>
        <source>Reservar</source>
        <translation>Mañakuy</translation>
    </message>
    <message>
        <source>Cambiar la hora</source>
        <translation>Horata tikray</translation>
    </message>
    <message>
        <source>Siguiente</source>
        <translation>Qatiqnin</translation>
    </message>
    <message>
        <source>Registrar llegada</source>
        <translation>Chayamusqayta qillqay</translation>
    </message>
    <message>
        <source>Buscar</source>
        <translation>Maskay</translation>
    </message>
    <message>
        <source>Volver</source>
        <translation>Kutiy</translation>
    </message>
    <message>
        <source>Presentado el {0} · vence el {1}</source>
        <translation>{0} p&apos;unchawpi qusqa · {1} p&apos;unchawkama</translation>
    </message>
    <message>
        <source>Tiene hasta el {0} para corregir. Acérquese a una ventanilla.</source>
        <translation>{0} p&apos;unchawkama allichanaykipaq. Ventanillaman hamuy.</translation>
    </message>
    <message>
        <source>Pasó el plazo sin respuesta: rige el silencio positivo. Consulte en ventanilla.</source>
        <translation>P&apos;unchawkuna pasarqanña mana kutichisqa: silencio positivo. Ventanillapi tapukuy.</translation>
    </message>
    <message>
        <source>Su turno</source>
        <translation>Turnoyki</translation>
    </message>
    <message>
        <source>Listo</source>
        <translation>Chayllam</translation>
    </message>
    <message>
        <source>Imprimir de nuevo</source>
        <translation>Hukmanta imprimiy</translation>
    </message>
    <message>
        <source>Personas delante: %1</source>
        <translation>Ñawpaqniykipi runakuna: %1</translation>
    </message>
    <message>
        <source>Imprimiendo…</source>
        <translation>Imprimichkan…</translation>
    </message>
    <message>
        <source>Retire su ticket y espere su llamado en la pantalla</source>
        <translation>Ticketniykita hap&apos;iy, pantallapi waqyasqaykita suyay</translation>
    </message>
    <message>
        <source>No se pudo imprimir el ticket. Recuerde su número y espere su llamado en la pantalla.</source>
        <translation>Mana imprimiyta atikurqanchu. Numeroykita yuyariy, pantallapi waqyasqaykita suyay.</translation>
    </message>
    <message>
        <source>Trámites: requisitos, costo y plazo</source>
        <translation>Trámitekuna: mañakuykuna, chanin, p&apos;unchaw</translation>
    </message>
    <message>
        <source>Imprimir requisitos</source>
        <translation>Mañakuykunata imprimiy</translation>
    </message>
    <message>
        <source>Sacar turno</source>
        <translation>Turnota hurquy</translation>
    </message>
    <message>
        <source>No hay trámites para mostrar.</source>
        <translation>Manam trámite kanchu.</translation>
    </message>
    <message>
        <source>Solo en algunos casos</source>
        <translation>Wakin kutillapi</translation>
    </message>
    <message>
        <source>Requisitos</source>
        <translation>Mañakuykuna</translation>
    </message>
    <message>
        <source>Un momento…</source>
        <translation>Suyaykuy…</translation>
    </message>
    <message>
        <source>Estamos preparando el sistema. Por favor, espere.</source>
        <translation>Sistemata allichachkanchik. Ama hina kaspa suyay.</translation>
    </message>
    <message>
        <source>Retire la lista de requisitos</source>
        <translation>Mañakuykunata hap&apos;iy</translation>
    </message>
    <message>
        <source>No se pudo imprimir. Puede fotografiar la pantalla.</source>
        <translation>Mana imprimiyta atikurqanchu. Pantallata fotografiay.</translation>
    </message>
</context>
</TS>
