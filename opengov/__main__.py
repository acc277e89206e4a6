from opengov.cli import main

raise SystemExit(main())
