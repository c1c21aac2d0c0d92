"""Small read-only records: what the named tuples here were used for, without their cost.

Making a NamedTuple class costs about 0.4 ms (typing checks every field's annotation, then
collections compiles a constructor), and a dozen were made on the way to the app's first
frame, and two on ``companion log``'s. A Record subclass is made in microseconds: its fields
are its annotations, in order, each with its class-level default if it has one. A record is
read-only, equal to another of its class with the same values (and hashed by them), and shows
itself as ``Name(field=value, ...)``. Unlike a tuple, it cannot be unpacked, indexed or
ordered: mypy says so where one is used as a tuple, reading a subclass as a frozen dataclass.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time (see CONTRIBUTING)
if TYPE_CHECKING:
    from typing import Any, ClassVar

    from typing_extensions import dataclass_transform
else:

    def dataclass_transform(**_: object) -> object:
        return lambda cls: cls


@dataclass_transform(frozen_default=True)
class Record:
    """A read-only record whose fields are its subclass's annotations."""

    _fields: ClassVar[tuple[str, ...]] = ()
    _defaults: ClassVar[dict[str, Any]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # Annotations are text here (from __future__ import annotations): read, never run;
        # and read without inspect, which ``companion log`` never imports (see CONTRIBUTING).
        own = [
            name
            for name, kind in cls.__dict__.get("__annotations__", {}).items()  # noqa: RUF063
            if not str(kind).startswith(("ClassVar", "typing.ClassVar"))
        ]
        cls._fields = (*cls._fields, *(n for n in own if n not in cls._fields))
        cls._defaults = {**cls._defaults, **{n: cls.__dict__[n] for n in own if n in cls.__dict__}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        fields = self._fields
        if not kwargs and len(args) == len(fields):  # the usual call: every value, in order
            self.__dict__.update(zip(fields, args, strict=True))
            return
        name = type(self).__name__
        if len(args) > len(fields):
            raise TypeError(f"{name}() takes {len(fields)} values but {len(args)} were given")
        values = dict(zip(fields, args, strict=False))
        for field in fields[len(args) :]:
            if field in kwargs:
                values[field] = kwargs.pop(field)
            elif field in self._defaults:
                values[field] = self._defaults[field]
            else:
                raise TypeError(f"{name}() is missing {field!r}")
        if kwargs:
            raise TypeError(f"{name}() got an unexpected or repeated value {next(iter(kwargs))!r}")
        self.__dict__.update(values)

    def _values(self) -> tuple[Any, ...]:
        return tuple(self.__dict__[field] for field in self._fields)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._values()))

    def __repr__(self) -> str:
        shown = ", ".join(f"{f}={v!r}" for f, v in zip(self._fields, self._values(), strict=True))
        return f"{type(self).__name__}({shown})"
