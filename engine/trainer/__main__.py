"""`python3 -m trainer --job job.json` (cwd engine/)."""
import sys

from trainer.main import main

sys.exit(main())
