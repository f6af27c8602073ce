from llko.cli import main

raise SystemExit(main())
