import sys

try:
    from analysis.cli import main
except KeyboardInterrupt:  # Ctrl-C while the package loads: one line, as everywhere else
    print("interrupted", file=sys.stderr)
    raise SystemExit(130) from None

raise SystemExit(main())
