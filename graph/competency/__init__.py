"""The competency questions: SPARQL files whose first comment asks the question in words.

They are the graph's acceptance tests and the service's example queries.
"""

from dataclasses import dataclass
from pathlib import Path

COMPETENCY_DIR = Path(__file__).parent


@dataclass(frozen=True)
class CompetencyQuestion:
    """One ``.rq`` file: its name (file stem), the question in words, and the query."""

    name: str
    question: str
    sparql: str


def load_questions(folder: Path = COMPETENCY_DIR) -> list[CompetencyQuestion]:
    """Read every ``*.rq`` file in ``folder``, in file-name order.

    :raises ValueError: a file does not open with a ``#`` comment stating its question.
    """
    questions = []
    for path in sorted(folder.glob("*.rq")):
        sparql = path.read_text(encoding="utf-8")
        first = sparql.split("\n", 1)[0]
        if not first.startswith("#"):
            raise ValueError(f"{path}:1: the first line must be a comment stating the question")
        questions.append(CompetencyQuestion(path.stem, first.lstrip("# ").strip(), sparql))
    return questions
