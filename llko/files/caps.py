"""How large a file of requests or registers may be. A town's export has tens of thousands of rows, a whole region's
about 200,000 rows of 12 columns (~100 MB of XML unpacked, packed ~10 to 1). Far more is no export but a 'zip bomb'
(a 144 KB XLSX of a million one-cell rows unpacks to 49 MB) that takes minutes and gigabytes to read. The caps are
checked before and while reading; a town's IT sets the three that grow with a region in the environment (config)."""

from llko import config

MAX_ROWS = config.import_limit("LLKO_IMPORT_MAX_ROWS")  # rows of an export (a register sheet has its own cap)
MAX_COLUMNS = 100
MAX_CELLS = config.import_limit("LLKO_IMPORT_MAX_CELLS")  # the cells of every row, up to its last filled one
MAX_XML_MB = config.import_limit("LLKO_IMPORT_MAX_XML_MB")  # an XLSX unpacked, all its parts together
MAX_RATIO = 100  # unpacked / packed size of one part of an XLSX (above 1 MB unpacked)
NAMES = ("MAX_ROWS", "MAX_COLUMNS", "MAX_CELLS", "MAX_XML_MB", "MAX_RATIO")  # handed to a bounded process as set here
