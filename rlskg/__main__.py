"""``python -m rlskg``: the same command line as ``rlskg``."""

from rlskg.cli import main

main()
