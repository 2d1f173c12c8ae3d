"""Text that comes into the office from people and programs (issue 14).

Control characters are refused wherever text comes in: a NUL byte stored in a name made its
rows fail at central's PostgreSQL for good, and a tab or line break in a one-line field breaks
tickets, receipts and CSV files. Only notes (`Note`) may hold line breaks («\\n»; «\\r\\n» is
read as one). Names (`Name`) also lose the invisible formatting a copy and paste brings along
(bidi overrides, zero-width characters, soft hyphens...), which would make two equal-looking
names differ or reorder what a receipt shows, and are normalised (NFC, plain spaces).

Three ways in share these rules:

- `TextInput`, the base of every input model (the API's bodies and the in-process clients'
  models alike): every text field is checked as one line unless typed `Note`; `Name` fields
  are cleaned by their type.
- `checked_text_arguments`, a class decorator for the hub: every text argument of its public
  methods (queries, path values, headers such as X-File-Name, the CLI's values) is checked.
- `check_tree`, for files read whole (the TUPA catalogue).
"""

from __future__ import annotations

import enum
import functools
import inspect
import re
import types
import typing
import unicodedata
from collections.abc import Callable, Mapping
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, ValidationInfo, model_validator
from pydantic_core import PydanticCustomError

from kiosk.errors import InvalidInput

CODE = "invalid_text"
# Unicode's control characters (Cc: C0, DEL and C1, NEL among them), the line and paragraph
# separators, and halves of surrogate pairs (JSON's «\\ud800» alone is no character).
_IN_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_IN_NOTE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
# Invisible characters outside Unicode's format category (Cf, stripped whole): the combining
# grapheme joiner, Hangul fillers and Khmer inherent vowels render as nothing.
INVISIBLE = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u3164\uffa0")
# Parameter names that differ from what a client sends (an API query or header).
SHOWN_AS = {"query": "q", "file_name": "X-File-Name", "media_type": "Content-Type",
            "clerk_session": "X-Clerk-Session"}
NAME_ARGUMENTS = frozenset({"name", "full_name"})


class TextKind(enum.Enum):
    """How a text field is checked: `Annotated[str, TextKind.NOTE]` marks a note."""

    LINE = "line"
    NOTE = "note"
    NAME = "name"


class TextRefused(InvalidInput):
    """A refused text: `problem` says what it contains, in Spanish («una tabulación, que no
    se admite»), for messages that name the field their own way (a CSV file's column)."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(CODE, refusal(field, problem))
        self.field = field
        self.problem = problem


def _problem(char: str) -> str:
    if char in "\n\r\x85\u2028\u2029":
        what = "un salto de línea"
    elif char == "\t":
        what = "una tabulación"
    elif char == "\0":
        what = "un carácter nulo (U+0000)"
    elif unicodedata.category(char) == "Cs":
        what = "un carácter Unicode roto"
    else:
        what = f"un carácter de control (U+{ord(char):04X})"
    return f"{what}, que no se admite"


def refusal(field: str, problem: str) -> str:
    """The Spanish message for a refused text, naming the field."""
    return (f"«{field}» contiene {problem}. Escríbalo de nuevo (sin copiarlo y pegarlo de "
            "otro documento).")


def forbidden(text: str, kind: TextKind = TextKind.LINE) -> str | None:
    """What is wrong with the text (Spanish, e.g. «una tabulación, que no se admite»), or
    None."""
    found = (_IN_NOTE if kind is TextKind.NOTE else _IN_LINE).search(text)
    return None if found is None else _problem(found.group())


def check_line(text: str, field: str) -> str:
    """One line of text: no control characters, no line breaks, no tabs."""
    problem = forbidden(text)
    if problem:
        raise TextRefused(field, problem)
    return text


def check_note(text: str, field: str) -> str:
    """A note: lines (any line break becomes «\\n») without other control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    problem = forbidden(text, TextKind.NOTE)
    if problem:
        raise TextRefused(field, problem)
    return text


def clean_name(text: str, field: str) -> str:
    """A name as typed, without invisible formatting, in NFC with plain spaces. A name that
    was nothing but invisible characters is refused, not stored empty."""
    check_line(text, field)
    kept = "".join(" " if unicodedata.category(c) == "Zs" else c for c in text
                   if unicodedata.category(c) != "Cf" and c not in INVISIBLE)
    cleaned = unicodedata.normalize("NFC", kept)
    if text.strip() and not cleaned.strip():
        raise TextRefused(field, "solo caracteres invisibles")
    return cleaned


CHECKS: dict[TextKind, Callable[[str, str], str]] = {
    TextKind.LINE: check_line, TextKind.NOTE: check_note, TextKind.NAME: clean_name}


# --- pydantic: the input models ----------------------------------------------------------------


def _validator(kind: TextKind) -> Callable[[str, ValidationInfo], str]:
    def validate(value: str, info: ValidationInfo) -> str:
        field = info.field_name or "texto"
        try:
            return CHECKS[kind](value, field)
        except TextRefused as exc:
            raise _pydantic_error(exc) from None
    return validate


Name = Annotated[str, AfterValidator(_validator(TextKind.NAME)), TextKind.NAME]
Note = Annotated[str, AfterValidator(_validator(TextKind.NOTE)), TextKind.NOTE]


def text_kind(annotation: Any) -> TextKind | None:
    """How a field of this type is checked (None: it holds no text)."""
    if annotation is str:
        return TextKind.LINE
    origin = typing.get_origin(annotation)
    arguments = typing.get_args(annotation)
    if origin is Annotated:
        marked = [m for m in arguments[1:] if isinstance(m, TextKind)]
        return marked[0] if marked else text_kind(arguments[0])
    if origin in (typing.Union, types.UnionType, list, tuple, set, frozenset):
        kinds = [text_kind(a) for a in arguments if a is not Ellipsis]
        return next((k for k in kinds if k is not None), None)
    return None


class TextInput(BaseModel):
    """Every text field of an input model is checked: one line unless typed `Note`; `Name`
    fields are cleaned and checked by their type. One-line fields are checked as they come,
    before anything else (a refusal says what is wrong with the text even when other fields
    are missing)."""

    @model_validator(mode="before")
    @classmethod
    def _check_text(cls, data: Any) -> Any:
        if isinstance(data, Mapping):
            for field, kind in _text_fields(cls).items():
                if kind is TextKind.LINE and field in data:
                    _check_value(data[field], field)
        return data


@functools.cache
def _text_fields(model: type[BaseModel]) -> Mapping[str, TextKind]:
    return {name: kind for name, info in model.model_fields.items()
            if (kind := text_kind(info.annotation if not info.metadata else
                                  Annotated[(info.annotation, *info.metadata)])) is not None}


def _check_value(value: object, field: str) -> None:
    texts = value if isinstance(value, list | tuple | set | frozenset) else (value,)
    for text in texts:
        if isinstance(text, str) and (problem := forbidden(text)):
            raise _pydantic_error(TextRefused(field, problem))


def _pydantic_error(refused: TextRefused) -> PydanticCustomError:
    """A refusal as pydantic reports it: the API rebuilds the message with the field's path
    (kiosk/api/errors.py), a CSV import with its column."""
    return PydanticCustomError(CODE, "{message}", {
        "message": refused.message, "field": refused.field, "problem": refused.problem})


# --- the hub's methods -------------------------------------------------------------------------

C = TypeVar("C", bound=type)


def checked_text_arguments(cls: C) -> C:
    """Wrap every public method of `cls` so that its text arguments are checked first (names,
    by parameter name, are cleaned). Models arrive already checked by `TextInput`."""
    for attribute, member in list(vars(cls).items()):
        if attribute.startswith("_"):
            continue
        if isinstance(member, classmethod):
            setattr(cls, attribute, classmethod(_checking(member.__func__)))
        elif inspect.isfunction(member):
            setattr(cls, attribute, _checking(member))
    return cls


def _checking(method: Callable[..., Any]) -> Callable[..., Any]:
    names = list(inspect.signature(method).parameters)

    def checked(args: tuple[Any, ...], kwargs: dict[str, Any]
                ) -> tuple[tuple[Any, ...], dict[str, Any]]:
        args = tuple(_argument(names[i] if i < len(names) else "", value)
                     for i, value in enumerate(args))
        return args, {key: _argument(key, value) for key, value in kwargs.items()}

    if inspect.iscoroutinefunction(method):
        @functools.wraps(method)
        async def awaited(*args: Any, **kwargs: Any) -> Any:
            args, kwargs = checked(args, kwargs)
            return await method(*args, **kwargs)
        return awaited

    @functools.wraps(method)
    def called(*args: Any, **kwargs: Any) -> Any:
        args, kwargs = checked(args, kwargs)
        return method(*args, **kwargs)
    return called


def _argument(name: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    field = SHOWN_AS.get(name, name)
    return clean_name(value, field) if name in NAME_ARGUMENTS else check_line(value, field)


# --- files read whole --------------------------------------------------------------------------


def check_tree(data: object, where: str) -> None:
    """Every text in parsed data (TOML, JSON) is one line; `where` starts the field's path."""
    if isinstance(data, str):
        check_line(data, where)
    elif isinstance(data, Mapping):
        for key, value in data.items():
            check_line(str(key), where)
            check_tree(value, f"{where}.{key}")
    elif isinstance(data, list | tuple):
        for index, value in enumerate(data, start=1):
            check_tree(value, f"{where}[{index}]")
