"""``python -m asn_kinerja``: the command line."""

import sys

from asn_kinerja.cli import main

sys.exit(main())
