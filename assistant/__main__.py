"""python -m assistant -> the derci-assistant command line."""

from assistant.cli import main

raise SystemExit(main())
