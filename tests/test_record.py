"""Record, the read-only records that stand in for named tuples on the start paths."""

from __future__ import annotations

import copy
import pickle
from typing import ClassVar

import pytest

from companion.alerts import Alert
from companion.record import Record
from companion.store.records import DayStats


class Point(Record):
    x: int
    y: int = 0
    label: str = "here"
    scale: ClassVar[int] = 10  # not a field


class Place(Point):
    name: str = ""


def test_fields_are_the_annotations_in_order_with_their_defaults() -> None:
    assert Point._fields == ("x", "y", "label")
    assert Place._fields == ("x", "y", "label", "name")
    assert Point(1) == Point(1, 0, "here") == Point(x=1, label="here")
    assert Place(1, name="home").name == "home" and Place(1).label == "here"


def test_equal_by_value_and_class_and_hashed_alike() -> None:
    assert Point(1, 2) == Point(1, 2)
    assert Point(1, 2) != Point(2, 1)
    assert Point(1) != Place(1)  # the same values in another class
    assert Point(1, 2) != (1, 2, "here")
    assert len({Point(1, 2), Point(1, 2), Point(3)}) == 2


def test_read_only() -> None:
    point = Point(1)
    with pytest.raises(AttributeError, match="read-only"):
        point.x = 2  # type: ignore[misc]
    with pytest.raises(AttributeError, match="read-only"):
        del point.x  # type: ignore[misc]
    assert point.x == 1


@pytest.mark.parametrize(
    ("args", "kwargs", "says"),
    [
        ((), {}, "missing 'x'"),
        ((1, 2, "a", 4), {}, "takes 3 values but 4"),
        ((1,), {"x": 2}, "unexpected or repeated value 'x'"),
        ((1,), {"z": 2}, "unexpected or repeated value 'z'"),
    ],
)
def test_wrong_arguments_are_named(
    args: tuple[object, ...], kwargs: dict[str, object], says: str
) -> None:
    with pytest.raises(TypeError, match=says):
        Point(*args, **kwargs)


def test_shown_copied_and_pickled_whole() -> None:
    place = Place(1, 2, name="home")
    assert repr(place) == "Place(x=1, y=2, label='here', name='home')"
    assert copy.copy(place) == place == copy.deepcopy(place)
    assert pickle.loads(pickle.dumps(place)) == place


def test_the_records_of_the_start_path_are_records() -> None:
    assert issubclass(DayStats, Record) and issubclass(Alert, Record)
    assert not issubclass(DayStats, tuple)
