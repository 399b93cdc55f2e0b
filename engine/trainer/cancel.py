"""Cancel is SIGTERM (or SIGINT): the handler only sets a flag; the loop finishes its step, checkpoints, exits 0."""
import signal
import sys


class CancelFlag:
    def __init__(self) -> None:
        self.requested = False

    def _handle(self, signum, _frame) -> None:
        if not self.requested:
            print(f"trainer: signal {signum} received, stopping after the current step", file=sys.stderr, flush=True)
        self.requested = True

    def install(self) -> None:
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self._handle)
