import sys

from camp_manager.cli import main

sys.exit(main())
