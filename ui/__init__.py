"""Streamlit glue shared by app.py and the pages; llko never imports it. Pages use `import ui` and `ui.<name>`:

- login: sign-in, the re-login cookie, sign-out, the signed-in user (checked on every run);
- database: the engine;
- session: the page registry (PAGES, open_page, menu), 'today', flash messages;
- reads: every read of the database a page makes, typed and cached;
- tables: tables, numbers, dates and downloads in the app's one style;
- charts: Altair charts with Dutch months, the status palette and a reading guide;
- forms: forms that more than one page shows (a free place, the correction of an entry);
- infopagina: the infopagina history with its corrections, on the loket's page and the provider's;
- choices: selectbox, multiselect and radio that return only what was offered (choose, choose_many, choose_one_of);
- text: `literal`, the only way text from data or a person enters a page's markdown;
- downloads: every download button, the session checked again when the file is served;
- hardening: the one guard around Streamlit itself (a table selection it cannot read counts as none).
"""

from ui import charts, forms, hardening, infopagina, login, reads  # noqa: F401
from ui.choices import (  # noqa: F401
    choose, choose_many, choose_one_of, selected_cell, selected_row, unique_labels,
)
from ui.downloads import download  # noqa: F401
from ui.text import literal  # noqa: F401
from ui.database import engine  # noqa: F401
from ui.charts import CHART_MAX_BARS  # noqa: F401
from ui.session import (  # noqa: F401
    LOCAL_TZ, PAGES, ROLE_PAGES_NOTE, PageSpec, allowed, clear_caches, current_user, flash, menu, open_page,
    own_provider, page_spec, show_flash, style, today,
)
from ui.tables import (  # noqa: F401
    IN_TIME, IN_TIME_DOWNLOAD, REQUEST_COLUMNS, STATUS_LABELS, date_columns, download_buttons, fmt_date, fmt_moment,
    fmt_moments, fmt_pct,
    in_time_help, list_caption, provider_view, request_view, show_requests, table, whole_percent,
)

hardening.apply()
