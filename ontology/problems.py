"""What every check in the project reports: which check, about which term or node, and what is wrong."""

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One finding of a check; ``subject`` is the IRI (or file:line) the finding is about."""

    check: str
    subject: str
    message: str

    def __str__(self) -> str:
        return f"[{self.check}] {self.subject}: {self.message}"
