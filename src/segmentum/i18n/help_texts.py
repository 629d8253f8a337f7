"""Help of the command line in Russian and English, kept in one place.

``COMMANDS``: the help of each command, keyed by its path without «segmentum» ("" for segmentum
itself). The first paragraph is the summary shown in lists of commands; the examples are the same
in both languages. ``PARAMETERS``: the help of each argument and option, keyed by
``"command path --long-option"`` or ``"command path ARGUMENT"``, or by the parameter alone
(``"--output"``) when it means the same in every command that has it. ``CLICK``: Click's own words
(usage line, section titles, usage errors) in Russian, keyed by Click's English text; English is
Click's text itself; ``CLICK_METAVARS``: its placeholders ([OPTIONS], TEXT, FILE …) the same way.
Command and option names are the interface and stay English.
"""

from __future__ import annotations

from dataclasses import dataclass

from segmentum.i18n.messages import Lang
from segmentum.i18n.plural import plural_index


@dataclass(frozen=True)
class CommandHelp:
    ru: str
    en: str
    examples: tuple[str, ...]


COMMANDS: dict[str, CommandHelp] = {
    "": CommandHelp(
        "segmentum — профили клиентских сегментов государственных услуг: онтология, каталог признаков, профили.\n\n"
        "Общие параметры можно писать и до, и после команды. Справка и сообщения — на русском; "
        "на английском — с --lang en или переменной окружения SEGMENTUM_LANG=en.",
        "segmentum: client segment profiles of public services — ontology, attribute catalogue, profiles.\n\n"
        "Global options may be written before or after the command. Help and messages are in Russian; "
        "in English with --lang en or the environment variable SEGMENTUM_LANG=en.",
        ("segmentum catalogue list --status business", "segmentum validate examples/profiles/ --lang en"),
    ),
    # ---------------------------------------------------------------- catalogue
    "catalogue": CommandHelp(
        "Каталог признаков: признаки, значения, статусы и их правовые источники.",
        "Browse the attribute catalogue: attributes, values, statuses and their legal sources.",
        ("segmentum catalogue list --status citizen",),
    ),
    "catalogue list": CommandHelp(
        "Признаки со статусами, значениями и правовыми источниками.",
        "List attributes with their statuses, values and legal sources.",
        ("segmentum catalogue list --status business --source 209-ФЗ --format csv",),
    ),
    "catalogue terms": CommandHelp(
        "Термины каталога с названиями, которыми их пишут в профиле.\n\n"
        "Статусы, жизненные ситуации, услуги, каналы, НПА, формы, виды функций, этапы, критерии — "
        "с идентификаторами и всеми названиями.",
        "Catalogue terms with the names a profile may use for them.\n\n"
        "Statuses, life situations, services, channels, acts, forms, function kinds, stages, criteria — "
        "with identifiers and every name.",
        ("segmentum catalogue terms channels",),
    ),
    "catalogue show": CommandHelp(
        "Один признак: определение, статусы, значения или диапазон, источники со статьями.",
        "Show one attribute: definition, statuses, values or range, and sources with articles.",
        ('segmentum catalogue show "организационно-правовая форма"',),
    ),
    "catalogue check": CommandHelp(
        "Проверка самого каталога формами shapes/catalogue.ttl.\n\nКод выхода 1, если каталог не соответствует.",
        "Check the catalogue itself with shapes/catalogue.ttl.\n\nExit code 1 if it does not conform.",
        ("segmentum catalogue check",),
    ),
    "catalogue export": CommandHelp(
        "Таблица признаков для экспертов: признаки, шкалы, значения, статусы, источники, НПА.",
        "Write the expert attribute table: attributes, schemes, values, statuses, sources, legal acts.",
        ("segmentum catalogue export -o catalogue.xlsx", "segmentum catalogue export --format csv -o catalogue-csv/"),
    ),
    "catalogue import": CommandHelp(
        "Проверить исправленную таблицу признаков и показать, что она меняет.\n\n"
        "Таблица — файл XLSX, папка CSV или один файл CSV. С --apply файлы каталога записываются.",
        "Check an edited expert table and show what it changes.\n\n"
        "The table is an XLSX file, a CSV folder or one CSV file. --apply writes the catalogue files.",
        ("segmentum catalogue import catalogue.xlsx", "segmentum catalogue import catalogue.xlsx --apply"),
    ),
    "catalogue add-attribute": CommandHelp(
        "Добавить признак с метками, определением, статусами и источником.",
        "Add an attribute with its labels, definition, statuses and a source.",
        ('segmentum catalogue add-attribute pension-kind --label "вид пенсии" --label-en "kind of pension" \\\n'
         '  --definition "…" --definition-en "…" --status citizen --act 400-ФЗ --article "ст. 6"',),
    ),
    "catalogue add-value": CommandHelp(
        "Добавить значение в шкалу признака, с источником.",
        "Add a value to the value scheme of an attribute, with a source.",
        ('segmentum catalogue add-value "организационно-правовая форма" okopf-20100 --label "Потребительские кооперативы" \\\n'
         '  --label-en "Consumer cooperatives" --code 20100 --act "ГК РФ (часть первая)" --article "ст. 123.2"',),
    ),
    "catalogue deprecate": CommandHelp(
        "Пометить значение устаревшим, с заменой и источником.\n\n"
        "Значение получает owl:deprecated и dct:isReplacedBy.",
        "Mark a value deprecated, with its replacement and a source.\n\n"
        "The value gets owl:deprecated and dct:isReplacedBy.",
        ('segmentum catalogue deprecate okopf-12247 --replaced-by okopf-12267 --act 99-ФЗ --article "ст. 3" --dry-run',),
    ),
    # ---------------------------------------------------------------- profiles
    "profile": CommandHelp(
        "Создание и просмотр файлов профилей сегментов (YAML, см. docs/profile-format.md).",
        "Create and inspect segment profile files (YAML, see docs/profile-format.md).",
        ("segmentum profile show examples/profiles/",),
    ),
    "profile new": CommandHelp(
        "Заготовка профиля для статуса и жизненной ситуации или услуги.",
        "Print a ready-to-fill profile for a status and a life situation or service.",
        ('segmentum profile new --status citizen --life-situation "Поступление в вуз" -o student.yaml',),
    ),
    "profile show": CommandHelp(
        "Признаки профилей с метками каталога и источниками.",
        "Load profiles and show their attributes resolved to catalogue labels, with sources.",
        ("segmentum profile show examples/profiles/student-neighbour-region.yaml",),
    ),
    "profile complete": CommandHelp(
        "Добавить принятые подсказки в профиль: признак — строкой «признак:» для значения, особенности пути, боли и каналы — "
        "открытыми гипотезами.\n\nВсё уже записанное в профиле остаётся.",
        "Add accepted suggestions to a profile: an attribute as a line «attribute:» to fill in; journey features, pains and "
        "channels as open hypotheses.\n\nEverything already written stays.",
        ("segmentum profile complete student.yaml --accept attribute/dormitory-need --accept channel/informing/website",),
    ),
    # ---------------------------------------------------------------- validation, queries, reports
    "validate": CommandHelp(
        "Проверка профилей формами SHACL их этапа.\n\nКод выхода 1, если есть нарушения.",
        "Check profiles against the SHACL shapes of their stage.\n\nExit code 1 if there are violations.",
        ("segmentum validate examples/profiles/ --format json", "segmentum validate examples/profiles/ --format sarif -o segmentum.sarif"),
    ),
    "query": CommandHelp(
        "Запрос SPARQL по каталогу и профилям.\n\n"
        "Именованный запрос из библиотеки, файл .rq или текст SPARQL — по онтологии, каталогу и профилям "
        "(указанным в команде или загруженным в --store).",
        "Run a SPARQL query over the catalogue and profiles.\n\n"
        "A named query of the library, a .rq file or SPARQL text — over the ontology, the catalogue and the "
        "profiles (given in the command or loaded in --store).",
        ("segmentum query attributes-by-status --param status=business", "segmentum query --list"),
    ),
    "prioritise": CommandHelp(
        "Ранжирование сегментов-кандидатов по критериям II этапа.\n\n"
        "Ёмкость, удовлетворённость, уникальность проблем, слепая зона, позиция заказчика — с весами и "
        "обоснованием места.",
        "Rank candidate segments by the stage II criteria.\n\n"
        "Capacity, satisfaction, unique problems, blind spot, the customer's position — with weights and "
        "the reason for each rank.",
        ('segmentum prioritise examples/segments.yaml --weights "ёмкость=3"',),
    ),
    "report": CommandHelp(
        "Отчёт по профилю или о сегментации.\n\n"
        "Для одного профиля — заполненный шаблон методики «Профиль клиентского сегмента»; для нескольких — "
        "отчёт о сегментации.",
        "Make the report of one profile, or a segmentation report of several.\n\n"
        "One profile gives the methodology's filled template «Client segment profile»; several give a "
        "segmentation report.",
        ("segmentum report examples/profiles/young-soldier.yaml -o young-soldier.docx",
         "segmentum report examples/profiles/ --format html -o segmentation.html"),
    ),
    # ---------------------------------------------------------------- inference
    "suggest": CommandHelp(
        "Подсказки для профилей: признаки, особенности пути, каналы, боли.\n\n"
        "Подсказки ранжированы и показаны с правилами, которые их дали.",
        "Suggest attributes, journey features, channels and pains for profiles.\n\n"
        "Suggestions are ranked and shown with the rules behind them.",
        ("segmentum suggest examples/profiles/young-soldier.yaml --explain",),
    ),
    "infer": CommandHelp(
        "Вывести факты и подсказки для всех профилей хранилища.\n\n"
        "Профили хранилища и указанные в команде; результат — в графах graph/inferred/….",
        "Derive facts and suggestions for every profile in the store.\n\n"
        "The profiles in the store and those given; the results go to the graphs graph/inferred/….",
        ("segmentum --store .segmentum infer",),
    ),
    # ---------------------------------------------------------------- store
    "load": CommandHelp(
        "Загрузить профили в хранилище.\n\nС --store DIR они остаются на диске для следующих команд.",
        "Load profiles into the store.\n\nWith --store DIR they stay on disk for the next commands.",
        ("segmentum --store .segmentum load examples/profiles/",),
    ),
    "export": CommandHelp(
        "Онтология, каталог и профили одним документом RDF.\n\nПрофили — указанные в команде и загруженные в --store.",
        "Export the ontology, the catalogue and profiles as RDF.\n\nThe profiles given in the command and those in --store.",
        ("segmentum export examples/profiles/ --format jsonld -o segmentum.jsonld", "segmentum export --as cpsv-ap -o services.ttl"),
    ),
    "serve": CommandHelp(
        "Точка доступа SPARQL 1.1 к онтологии, каталогу и профилям.\n\nПрофили — из --store и указанные в команде.",
        "Serve the ontology, the catalogue and profiles as a SPARQL 1.1 endpoint.\n\nThe profiles in --store and those given.",
        ("segmentum serve examples/profiles/ --port 8000",),
    ),
    "workspace": CommandHelp(
        "Рабочее место методолога в браузере: каталог признаков и профили папки.\n\n"
        "Каталог с поиском, профили папки с результатом проверки, новый профиль, редактор с проверкой по мере ввода. "
        "Печатает адрес; по умолчанию доступно только с этого компьютера.",
        "The methodologist's workspace in a browser: the attribute catalogue and the folder's profiles.\n\n"
        "The catalogue with search, the folder's profiles with their validation, a new profile, an editor that validates as you type. "
        "Prints the address; by default reachable from this computer only.",
        ("segmentum workspace examples/profiles/", "segmentum workspace . --port 8090 --token"),
    ),
}


PARAMETERS: dict[str, dict[str, str]] = {
    # ---------------------------------------------------------------- global options and help
    "--lang": {"ru": "Язык меток, сообщений и справки (или переменная SEGMENTUM_LANG).",
               "en": "Language of labels, messages and help (or the SEGMENTUM_LANG variable)."},
    "--store": {"ru": "Хранилище триплетов на диске в этой папке (по умолчанию — в памяти).",
                "en": "Keep the triple store on disk in this folder (default: in memory)."},
    "--endpoint": {"ru": "Общее хранилище SPARQL 1.1 по этому адресу запросов вместо встроенного (или SEGMENTUM_ENDPOINT).",
                   "en": "Use a remote SPARQL 1.1 store at this query URL instead of the embedded one (or SEGMENTUM_ENDPOINT)."},
    "--update-endpoint": {"ru": "Адрес изменений (SPARQL Update) общего хранилища: нужен, чтобы загружать профили.",
                          "en": "The remote store's SPARQL update URL (needed to load profiles)."},
    "--graph-store": {"ru": "Адрес Graph Store Protocol общего хранилища (необязательно: быстрее загрузка и выгрузка).",
                      "en": "The remote store's Graph Store Protocol URL (optional: faster loads and exports)."},
    "--user": {"ru": "Имя пользователя общего хранилища (HTTP Basic или Digest, если сервер его запросит).",
               "en": "User name for the remote store (HTTP basic, or digest if the server asks for it)."},
    "--password": {"ru": "Пароль общего хранилища; лучше задать переменной SEGMENTUM_ENDPOINT_PASSWORD.",
                   "en": "Password for the remote store; better set SEGMENTUM_ENDPOINT_PASSWORD."},
    "--connect-timeout": {"ru": "Сколько секунд ждать подключения к общему хранилищу (или SEGMENTUM_ENDPOINT_CONNECT_TIMEOUT).",
                          "en": "Seconds to wait for a connection to the remote store (or SEGMENTUM_ENDPOINT_CONNECT_TIMEOUT)."},
    "--read-timeout": {"ru": "Сколько секунд ждать ответа общего хранилища (или SEGMENTUM_ENDPOINT_READ_TIMEOUT).",
                       "en": "Seconds to wait for the remote store's answer (or SEGMENTUM_ENDPOINT_READ_TIMEOUT)."},
    "--verbose": {"ru": "Больше диагностики в stderr; -vv — с трассировкой ошибок.",
                  "en": "More diagnostics on stderr; -vv shows tracebacks."},
    "--quiet": {"ru": "Без диагностики в stderr.", "en": "No diagnostics on stderr."},
    "--version": {"ru": "Показать версию и выйти.", "en": "Show the version and exit."},
    "--help": {"ru": "Показать эту справку и выйти.", "en": "Show this message and exit."},
    # ---------------------------------------------------------------- shared by several commands
    "PATHS": {"ru": "Файлы профилей YAML или папки с ними.", "en": "Profile YAML files or folders of them."},
    "--format": {"ru": "Формат вывода.", "en": "Output format."},
    "--output": {"ru": "Записать в этот файл вместо stdout (атомарно).", "en": "Write to this file instead of stdout (atomically)."},
    "--engine": {"ru": "sparql — скомпилированные запросы в хранилище; pyshacl — эталонный движок.",
                 "en": "sparql: compiled queries in the store; pyshacl: the reference engine."},
    "--rules": {"ru": "Дополнительный файл правил (Turtle, см. docs/rules.md); можно повторять.",
                "en": "An extra rule file (Turtle, see docs/rules.md); may repeat."},
    "--catalogue": {"ru": "Папка файлов Turtle каталога, которые читать и писать (по умолчанию — catalogues/ исходного кода).",
                    "en": "The folder of catalogue Turtle files to read and write (default: catalogues/ of this source checkout)."},
    "--label": {"ru": "Русская метка.", "en": "Russian label."},
    "--label-en": {"ru": "Английская метка.", "en": "English label."},
    "--alt-label": {"ru": "Ещё одно русское название; можно повторять.", "en": "Another Russian label; may repeat."},
    "--act": {"ru": "НПА (номер, идентификатор или название), вместе с --article.",
              "en": "Legal act (number, identifier or title), with --article."},
    "--article": {"ru": "Статья НПА, например «ст. 4».", "en": "Article of the act, e.g. «ст. 4»."},
    "--form": {"ru": "Форма заявления (номер, идентификатор или название), вместе с --field.",
               "en": "Application form (number, identifier or title), with --field."},
    "--field": {"ru": "Поле формы: номер («п. 5») или название.", "en": "Field of the form: its number («п. 5») or label."},
    "--source": {"ru": "Готовый источник по идентификатору (например, art-fz-209-msp-4).",
                 "en": "An existing source by identifier (e.g. art-fz-209-msp-4)."},
    "--dry-run": {"ru": "Напечатать diff файлов Turtle и ничего не записывать.",
                  "en": "Print the diff of the Turtle files and write nothing."},
    # ---------------------------------------------------------------- catalogue
    "catalogue list --status": {"ru": "Только признаки этого статуса (citizen, business, internal или название).",
                                "en": "Only attributes of this status (citizen, business, internal, or a label)."},
    "catalogue list --source": {"ru": "Только признаки, которые подтверждает этот НПА или форма (например, 209-ФЗ, 088/у).",
                                "en": "Only attributes supported by this legal act or form (e.g. 209-ФЗ, 088/у)."},
    "catalogue terms KIND": {"ru": "Какие термины перечислить.", "en": "Which terms to list."},
    "catalogue show ATTRIBUTE": {"ru": "Признак: идентификатор или название.", "en": "The attribute: identifier or label."},
    "catalogue export --output": {"ru": "Файл .xlsx или папка для файлов CSV.", "en": "The .xlsx file, or the folder for the CSV files."},
    "catalogue import TABLE": {"ru": "Таблица: файл XLSX, папка CSV или один файл CSV.",
                               "en": "The table: an XLSX file, a CSV folder or one CSV file."},
    "catalogue import --apply": {"ru": "Записать файлы каталога (без него — только показать, что изменится).",
                                 "en": "Write the catalogue files (without it, only show what would change)."},
    "catalogue import --diff": {"ru": "Напечатать ещё и unified diff файлов Turtle.", "en": "Also print the unified diff of the Turtle files."},
    "catalogue add-attribute IDENTIFIER": {"ru": "Идентификатор нового признака, например pension-kind.",
                                           "en": "Identifier of the new attribute, e.g. pension-kind."},
    "catalogue add-attribute --definition": {"ru": "Определение на русском.", "en": "Russian definition."},
    "catalogue add-attribute --definition-en": {"ru": "Определение на английском.", "en": "English definition."},
    "catalogue add-attribute --status": {"ru": "Статус (citizen, business, internal или название); можно повторять.",
                                         "en": "Status (citizen, business, internal or a label); may repeat."},
    "catalogue add-attribute --scheme": {"ru": "Взять эту готовую шкалу значений (по умолчанию — новая пустая шкала с именем признака).",
                                         "en": "Use this existing value scheme (default: a new empty scheme named like the attribute)."},
    "catalogue add-attribute --datatype": {"ru": "Признак с типом значения вместо шкалы.", "en": "A typed attribute instead of a value scheme."},
    "catalogue add-attribute --min": {"ru": "Наименьшее значение (с --datatype integer/decimal).",
                                      "en": "Smallest value (with --datatype integer/decimal)."},
    "catalogue add-attribute --max": {"ru": "Наибольшее значение (с --datatype integer/decimal).",
                                      "en": "Largest value (with --datatype integer/decimal)."},
    "catalogue add-attribute --unit": {"ru": "Единица измерения, по-русски (например, «лет»).", "en": "Unit, in Russian (e.g. «лет»)."},
    "catalogue add-attribute --multi-valued": {"ru": "У сегмента может быть несколько значений.", "en": "A segment may have several values."},
    "catalogue add-attribute --file": {"ru": "Файл каталога (по умолчанию attributes-<статус> для одного статуса, attributes-core для нескольких).",
                                       "en": "Catalogue file (default: attributes-<status> for one status, attributes-core for several)."},
    "catalogue add-value ATTRIBUTE": {"ru": "Признак, в шкалу которого добавить значение (идентификатор или название).",
                                      "en": "The attribute whose scheme gets the value (identifier or label)."},
    "catalogue add-value IDENTIFIER": {"ru": "Идентификатор нового значения, например okopf-20100.",
                                       "en": "Identifier of the new value, e.g. okopf-20100."},
    "catalogue add-value --code": {"ru": "Код значения в классификаторе (skos:notation).",
                                   "en": "Code of the value in its classifier (skos:notation)."},
    "catalogue deprecate VALUE": {"ru": "Значение, которое устарело (идентификатор или название).",
                                  "en": "The value that is deprecated (identifier or label)."},
    "catalogue deprecate --replaced-by": {"ru": "Значение, которое его заменяет (идентификатор или название); можно повторять.",
                                          "en": "The value that replaces it (identifier or label); may repeat."},
    "catalogue deprecate --attribute": {"ru": "Искать значения в шкале этого признака (если название неоднозначно).",
                                        "en": "Look the values up in this attribute's scheme (when a label is not unique)."},
    # ---------------------------------------------------------------- profiles
    "profile new --status": {"ru": "Статус клиента: citizen, business, internal или название.",
                             "en": "Client status: citizen, business, internal, or a label."},
    "profile new --life-situation": {"ru": "Жизненная ситуация (идентификатор или название); можно повторять.",
                                     "en": "Life situation (identifier or label); may repeat."},
    "profile new --service": {"ru": "Услуга, функция или мера поддержки; можно повторять.",
                              "en": "Service, function or support measure; may repeat."},
    "profile new --id": {"ru": "Идентификатор нового профиля (по умолчанию — имя файла, как при загрузке).",
                         "en": "Identifier of the new profile (by default the file name, as when loading)."},
    "profile complete PATH": {"ru": "Файл профиля, который дополнить.", "en": "The profile file to complete."},
    "profile complete --accept": {"ru": "Идентификатор подсказки (как в «segmentum suggest») или «all»; можно повторять.",
                                  "en": "Id of a suggestion to add (as shown by «segmentum suggest»), or «all»; may repeat."},
    "profile complete --output": {"ru": "Записать сюда, а не обратно в PATH.", "en": "Write here instead of back to PATH."},
    # ---------------------------------------------------------------- validation, queries, reports
    "validate --stage": {"ru": "Проверить так, будто каждый профиль на этом этапе (I–IV, 1–4 или название).",
                         "en": "Validate as if every profile were at this stage (I–IV, 1–4 or a name)."},
    "validate --format": {"ru": "text — по файлам, для чтения; json; ttl — отчёт SHACL; lines — по строке на замечание "
                                "«ФАЙЛ:СТРОКА:СТОЛБЕЦ: важность: сообщение», для редакторов и CI; sarif — SARIF 2.1.0 для code scanning.",
                          "en": "text: grouped by file, for people; json; ttl: the SHACL report; lines: one finding a line, "
                                "«FILE:LINE:COL: severity: message», for editors and CI; sarif: SARIF 2.1.0 for code scanning."},
    "validate --shapes": {"ru": "Формы из этого файла вместо поставляемого shapes/profile.ttl.",
                          "en": "Use this shapes file instead of the shipped shapes/profile.ttl."},
    "query QUERY": {"ru": "Имя запроса из библиотеки, файл .rq или текст SPARQL.",
                    "en": "The name of a library query, a .rq file or SPARQL text."},
    "query --param": {"ru": "Параметр в виде имя=значение (метка, идентификатор или текст); можно повторять.",
                      "en": "A parameter as name=value (a label, identifier or text); may repeat."},
    "query --ids": {"ru": "В таблице рядом с метками — столбцы идентификаторов (st:business, val:region-16).",
                    "en": "In the table, columns of identifiers (st:business, val:region-16) next to the labels."},
    "query --limit": {"ru": "Не больше стольких строк результата (страница: вместе с --offset); отбирает само хранилище.",
                      "en": "At most this many result rows (a page, with --offset); the store stops there."},
    "query --offset": {"ru": "Пропустить столько первых строк результата (следующая страница: --offset 100 --limit 100).",
                       "en": "Skip this many first result rows (the next page: --offset 100 --limit 100)."},
    "query --list": {"ru": "Именованные запросы с описаниями и параметрами.",
                     "en": "List the named queries with their descriptions and parameters."},
    "prioritise SEGMENTS_FILE": {"ru": "Файл сегментов YAML (см. docs/prioritise.md).", "en": "The segments YAML file (see docs/prioritise.md)."},
    "prioritise --weights": {"ru": "Веса критериев, например \"ёмкость=3, слепая зона=0\" (важнее файла и значений по умолчанию).",
                             "en": "Criterion weights, e.g. \"ёмкость=3, слепая зона=0\" (override the file and the defaults)."},
    "report --format": {"ru": "docx, html или md; по умолчанию — по расширению -o, иначе docx.",
                        "en": "docx, html or md; by default the extension of -o, else docx."},
    "report --output": {"ru": "Файл отчёта (для docx обязателен; html и md без него печатаются в stdout).",
                        "en": "The report file (required for docx; html and md go to stdout without it)."},
    "report --segments": {"ru": "Взять критерии II этапа для таблицы приоритетов из этого файла сегментов.",
                          "en": "Take the stage II criteria for the priority table from this SEGMENTS file."},
    "report --appendix": {"ru": "Добавить техническое приложение: файлы профилей, замечания проверки по строкам и столбцам, команды.",
                          "en": "Add the technical appendix: the profile files, validation findings by line and column, the commands."},
    "report --template": {"ru": "Фирменный шаблон ведомства (.docx): отчёт пишется в его стилях, с его полями и колонтитулами.",
                          "en": "The agency's own Word template (.docx): the report takes its styles, margins, headers and footers."},
    "report --strict": {"ru": "Ничего не записывать и выйти с кодом 1, если профиль не соответствует своему этапу.",
                        "en": "Write nothing and exit 1 if a profile does not conform to its stage."},
    # ---------------------------------------------------------------- inference, store, endpoint
    "suggest --explain": {"ru": "Показать утверждения профиля, которыми воспользовалось каждое правило, с файлом и строкой.",
                          "en": "Show the profile statements each rule used, with file and line."},
    "export --no-ontology": {"ru": "Без онтологии.", "en": "Leave the ontology out."},
    "export --no-catalogue": {"ru": "Без каталога.", "en": "Leave the catalogue out."},
    "export --as": {"ru": "cpsv-ap — услуги, события, НПА, каналы и органы власти каталога в словаре CPSV-AP 3.2.",
                    "en": "cpsv-ap: the catalogue's public services, events, legal acts, channels and authorities in CPSV-AP 3.2."},
    "serve --host": {"ru": "Адрес, на котором слушать (loopback — только этот компьютер).",
                     "en": "Address to listen on (loopback: this computer only)."},
    "serve --port": {"ru": "Порт.", "en": "Port to listen on."},
    "serve --allowed-host": {"ru": "Ещё одно имя сервера, которое может стоять в заголовке Host (кроме адреса --host и loopback); можно повторять. "
                                   "Запросы с другим Host получают 403 — защита от DNS rebinding.",
                             "en": "Another name of the server a Host header may give (besides the --host address and loopback); repeatable. "
                                   "Requests with another Host get 403, against DNS rebinding."},
    "serve --workers": {"ru": "Процессов, выполняющих запросы.", "en": "Query worker processes."},
    "serve --max-queue": {"ru": "Сколько запросов может ждать свободного процесса (по умолчанию — вдвое больше --workers); остальные получают 503 с "
                                "Retry-After.",
                          "en": "Requests that may wait for a free worker (default: twice --workers); more get 503 with Retry-After."},
    "serve --timeout": {"ru": "Секунд на запрос; дольше — запрос останавливается.", "en": "Seconds a query may run before it is stopped."},
    "serve --read-timeout": {"ru": "Секунд на получение заголовков запроса и отдельно его тела; не успел — 408, соединение закрывается.",
                             "en": "Seconds for a request's headers to arrive, and again for its body; else 408 and the connection is closed."},
    "serve --max-rows": {"ru": "Наибольшее число строк (или триплетов) в ответе.", "en": "Most result rows (or triples) in one answer."},
    "serve --max-query-bytes": {"ru": "Наибольшая длина запроса или изменения, в байтах.", "en": "Longest query or update accepted, in bytes."},
    "serve --max-response-bytes": {"ru": "Наибольшая длина ответа в байтах; длиннее — запрос останавливается, ответ 413.",
                                   "en": "Longest answer in bytes; a longer one is stopped and answered 413."},
    "serve --allow-update": {"ru": "Принимать изменения SPARQL с токеном из SEGMENTUM_SERVE_TOKEN, не короче 16 символов (если переменной нет, токен "
                                   "создаётся и печатается).",
                             "en": "Accept SPARQL updates with the token in SEGMENTUM_SERVE_TOKEN, of 16 characters at least (one is made up and "
                                   "printed if unset)."},
    "workspace FOLDER": {"ru": "Папка с профилями YAML (по умолчанию — текущая); файлы пишутся только в неё.",
                         "en": "The folder of YAML profiles (default: the current one); files are written in it only."},
    "workspace --host": {"ru": "Адрес, на котором слушать (loopback — только этот компьютер; другой адрес требует токен).",
                         "en": "Address to listen on (loopback: this computer only; another address needs the token)."},
    "workspace --port": {"ru": "Порт.", "en": "Port to listen on."},
    "workspace --token": {"ru": "Пускать только с токеном доступа: из SEGMENTUM_WORKSPACE_TOKEN, иначе создаётся и печатается в адресе.",
                          "en": "Let in only with an access token: SEGMENTUM_WORKSPACE_TOKEN, else one is made up and printed in the address."},
}


LABELS: dict[str, dict[str, str]] = {
    "example": {"ru": "Пример:", "en": "Example:"},
    "examples": {"ru": "Примеры:", "en": "Examples:"},
    "arguments": {"ru": "Аргументы", "en": "Arguments"},
    "global_options": {"ru": "Общие параметры (до или после команды)", "en": "Global options (before or after the command)"},
    "version": {"ru": "{prog}, версия {version}", "en": "{prog}, version {version}"},
}


# Click's own words in Russian, keyed by Click's English (its gettext message ids). A plural entry
# has the Russian forms for 1, 2–4 and 5+ (21, 22, 25 …); Click chooses between its singular and
# plural text by a count.
CLICK: dict[str, str | tuple[str, str, str]] = {
    "Usage:": "Использование:",
    "Options": "Параметры",
    "Commands": "Команды",
    "Positional arguments": "Аргументы",
    "Error: {message}": "Ошибка: {message}",
    "Try '{command} {option}' for help.": "Справка: «{command} {option}».",
    "Aborted!": "Прервано.",
    "Missing command.": "Не указана команда.",
    "Missing argument": "Не указан аргумент",
    "Missing option": "Не указан параметр",
    "Missing parameter": "Не указан параметр",
    "Missing {param_type}": "Не указан {param_type}",
    "Missing parameter: {param_name}": "Не указан параметр: {param_name}",
    "No such option {name!r}.": "Нет параметра «{name}».",
    "No such command {name!r}.": "Нет команды «{name}».",
    "Did you mean {possibility}?": ("Возможно, имелось в виду {possibility}?",) * 3,
    "(Did you mean one of: {possibilities}?)": ("(Возможно, имелось в виду одно из: {possibilities}?)",) * 3,
    "Got unexpected extra argument ({args})": ("Лишний аргумент ({args})", "Лишние аргументы ({args})", "Лишние аргументы ({args})"),
    "Got unexpected extra arguments ({args})": ("Лишний аргумент ({args})", "Лишние аргументы ({args})", "Лишние аргументы ({args})"),
    "Invalid value: {message}": "Недопустимое значение: {message}",
    "Invalid value for {param_hint}: {message}": "Недопустимое значение для {param_hint}: {message}",
    "Option {name!r} does not take a value.": "Параметр «{name}» пишется без значения.",
    "Option {name!r} requires an argument.": ("После параметра «{name}» нужно значение.",) * 3,
    "Option {name!r} requires {nargs} arguments.": ("После параметра «{name}» нужно {nargs} значение.",
                                                    "После параметра «{name}» нужно {nargs} значения.",
                                                    "После параметра «{name}» нужно {nargs} значений."),
    "{value!r} is not {choice}.": ("«{value}» — не {choice}.",) * 3,
    "{value!r} is not one of {choices}.": ("«{value}» — не одно из: {choices}.",) * 3,
    "Choose from:\n\t{choices}": "Выберите из:\n\t{choices}",
    "{value} is not in the range {range}.": "{value} — вне диапазона {range}.",
    "{value!r} is not a valid {number_type}.": "«{value}» — не число ({number_type}).",
    "{name} {filename!r} does not exist.": "нет такого файла или папки: «{filename}».",
    "{name} {filename!r} is a file.": "«{filename}» — файл, а нужна папка.",
    "{name} {filename!r} is a directory.": "«{filename}» — папка, а нужен файл.",
    "{name} {filename!r} is not readable.": "«{filename}» не читается: нет прав на чтение.",
    "{name} {filename!r} is not writable.": "в «{filename}» нельзя писать: нет прав на запись.",
    "env var: {var}": "переменная окружения: {var}",
    "default: {default}": "по умолчанию: {default}",
    "required": "обязательно",
}

# Click's words that do not pass through gettext: the usage line's placeholders and the names of
# value types, upper-cased in help (``--user TEXT``); keyed by Click's English.
CLICK_METAVARS: dict[str, str] = {
    "[OPTIONS]": "[ПАРАМЕТРЫ]",
    "COMMAND [ARGS]...": "КОМАНДА [АРГУМЕНТЫ]...",
    "TEXT": "ТЕКСТ",
    "INTEGER": "ЦЕЛОЕ",
    "INTEGER RANGE": "ЦЕЛОЕ",
    "FLOAT": "ЧИСЛО",
    "FLOAT RANGE": "ЧИСЛО",
    "BOOLEAN": "ДА|НЕТ",
    "FILE": "ФАЙЛ",
    "DIRECTORY": "ПАПКА",
    "PATH": "ПУТЬ",
    "FILENAME": "ФАЙЛ",
}


def _lang(lang: Lang) -> str:
    return Lang(lang).value


def _typeset(text: str) -> str:
    """A dash is not wrapped to the start of a line: a no-break space before it."""
    return text.replace(" — ", "\u00a0— ")


def command_help(path: str, lang: Lang) -> tuple[str, tuple[str, ...]]:
    """The help text of a command and its examples; KeyError if the command has none."""
    entry = COMMANDS[path]
    return _typeset(getattr(entry, _lang(lang))), entry.examples


def parameter_help(path: str, name: str, lang: Lang) -> str:
    """The help of a parameter of the command at ``path``: its own, else the shared one; KeyError if neither."""
    own = PARAMETERS.get(f"{path} {name}".strip())
    return _typeset((own or PARAMETERS[name])[_lang(lang)])


def label(key: str, lang: Lang) -> str:
    return LABELS[key][_lang(lang)]


def click_text(message: str, lang: Lang) -> str:
    """Click's ``message`` in ``lang``; Click's own English when there is no translation."""
    found = CLICK.get(message) if _lang(lang) == "ru" else None
    if found is None:
        return message
    return found if isinstance(found, str) else found[0]


def click_metavar(name: str, lang: Lang) -> str:
    """A placeholder of Click's usage line or the name of a value type in ``lang``; any other name as it is."""
    return CLICK_METAVARS.get(name, name) if _lang(lang) == "ru" else name


def click_plural(singular: str, plural: str, n: int, lang: Lang) -> str:
    """Click's message with a count, in ``lang``."""
    english = singular if n == 1 else plural
    found = CLICK.get(english) if _lang(lang) == "ru" else None
    if found is None:
        return english
    return found if isinstance(found, str) else found[plural_index(n, Lang.RU)]
