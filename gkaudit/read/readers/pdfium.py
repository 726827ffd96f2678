"""Page content of a PDF through pypdfium2 (PDFium, BSD/Apache licensed): characters from the
text layer, ruling lines from path objects, and the tables those lines draw.

The table finder and the text assembly follow pdfplumber's defaults step by step (a port of
its "lines" table strategy, MIT licensed: snap and join edges within 3 pt, keep edges of 3 pt
or more, cells from the intersections, tables from cells sharing corners; words and lines with
x/y tolerances of 3 pt), so that a page reads with the same cells as through pdfplumber, which
parses the content stream in pure Python (pdfminer) and is about 10 times slower (figures in
gkaudit/read/readers/pdf.py). Characters are boxed as pdfminer boxes them: the advance width
horizontally, the font size above the font's descent vertically.

What this path does not reproduce exactly it does not guess at: a rotated page, a page whose
media box does not start at the origin or differs from its crop box, text that is not upright,
characters without a Unicode value, a form XObject placed with a transformation, or a PDFium
too old for the functions used raise ``Unsupported``, and the reader falls back to pdfplumber
for the whole file.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from itertools import groupby, pairwise
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Any, NamedTuple

from gkaudit.base.errors import ReadError, budget_error
from gkaudit.read.blocks import clean_cell
from gkaudit.read.layout import is_value

EDGE = 60  # points from the top or bottom of a page where running headers and footers sit
ENCRYPTED = "encrypted PDF: it cannot be read without its password"
TOLERANCE = 3  # pdfplumber's snap, join, intersection and text tolerances (points)
MIN_EDGE = 3  # shorter ruling segments draw no cell border
SCALE = 1000.0  # PDFium's single-precision coordinates are kept to 1/1000 pt (3 decimals)
LIGATURES = {"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}
_LIGATURE_TABLE = str.maketrans(LIGATURES)
_X0, _X1, _TOP, _MIDDLE_Y = itemgetter(1), itemgetter(2), itemgetter(3), itemgetter(6)  # of a Char
# Added to and taken from a float under 2**51, it rounds the float to an integer as round()
# does (half to even), without the call and the int it makes.
_ROUNDER = 1.5 * 2.0**52
_TOP_LEFT = itemgetter(1, 0)  # of a cell's box
_ROUNDED_LIMIT = 2.0**50 / SCALE  # coordinates beyond (absurd on a page) are not read here


class Unsupported(Exception):
    """The page has a feature this path does not read exactly: use pdfplumber instead."""


class Unopened(Exception):
    """PDFium cannot open the file (other than for a password): pdfplumber will say why."""


class PageItem(NamedTuple):
    """A text line or a table row of one page."""

    top: float
    text: str
    edge: bool  # near the top or bottom of the page, where running headers sit
    page: int
    cells: tuple[str, ...] | None = None  # a table row's cells
    # Each cell's left edge, None where a cell merged across columns covers it: a row cut by
    # a page break is joined to its other part by where its cells start (pdf._join_split_rows).
    lefts: tuple[float | None, ...] | None = None
    # A ruled row with one filled cell first on its page: read as cells only to be joined to
    # the row a page break cut (pdf._join_split_rows); alone, it reads as a line of text.
    rest: bool = False


# A character: text, x0, x1, top, bottom and its centre (middle_x, middle_y), which decides
# the cell it belongs to. A plain tuple: a page makes hundreds, and a named tuple costs a
# third of the time of reading one (fields are read by position, or unpacked).
Char = tuple[str, float, float, float, float, float, float]


class Edge(NamedTuple):
    orientation: str  # "h" or "v"
    x0: float
    top: float
    x1: float
    bottom: float


# --- reading a document ------------------------------------------------------------------


def read_pages(source: Path | bytes, max_pages: int) -> list[list[PageItem]]:
    """Every page's text lines and table rows, top to bottom (from a path or the file's bytes)."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(source if isinstance(source, bytes) else str(source))
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise ReadError(ENCRYPTED, reason="encrypted") from None
        raise Unopened(str(error)) from None
    try:
        if len(document) > max_pages:
            pages = len(document)
            raise budget_error(
                f"{pages} 页，上限 {max_pages} 页", f"{pages} pages, limit {max_pages}"
            )
        return [_page_items(document, index) for index in range(len(document))]
    except pdfium.PdfiumError as error:
        raise Unsupported(f"PDFium failed on a page: {error}") from None
    finally:
        document.close()


def _page_items(document: Any, index: int) -> list[PageItem]:
    page = document[index]
    try:
        height = _page_height(page)
        textpage = page.get_textpage()
        try:
            chars = _chars(textpage, height)
        finally:
            textpage.close()
        edges = list(_edges(page, height))
    finally:
        page.close()
    return items_of_page(chars, edges, height, index + 1)


def _page_height(page: Any) -> float:
    if page.get_rotation():
        raise Unsupported("rotated page")
    mediabox = page.get_mediabox()
    if mediabox[:2] != (0, 0) or page.get_cropbox() != mediabox:
        raise Unsupported("media box not at the origin or unlike the crop box")
    return mediabox[3]


# --- characters --------------------------------------------------------------------------


class _Api:
    """The PDFium functions called once per character, path segment or page object, and
    reusable out-parameters. The hot ones are called without declared argument types, which
    halves the cost of a call: every argument is passed as a ctypes instance (pointers, as
    ``c_void_p`` or the ``_Handle`` the functions returning one give) or a Python int (a C
    int), the only argument types ctypes then passes unconverted."""

    def __init__(self) -> None:
        import ctypes

        import pypdfium2.raw as raw

        void, integer, single = ctypes.c_void_p, ctypes.c_int, ctypes.c_float

        class _Handle(ctypes.c_void_p):
            """A pointer a function returns, kept as a ctypes instance to pass on as is."""

        def function(name: str, restype: Any, *argtypes: Any) -> Any:
            """The same C function under a new prototype (raw's declaration stays as it is)."""
            return ctypes.CFUNCTYPE(restype, *argtypes)(_address(getattr(raw, name)))

        def bare(name: str, restype: Any) -> Any:
            """The C function declared with no arguments (see the class's description): ctypes
            passes the arguments of a call as they are. It is called holding the GIL (a
            Python API prototype), which saves releasing and taking it again around each of
            these short calls that never call back into Python."""
            return ctypes.PYFUNCTYPE(restype)(_address(getattr(raw, name)))

        self.pointer = void
        self.text_object = bare("FPDFText_GetTextObject", void)  # an int: compared, not passed
        self.is_generated = bare("FPDFText_IsGenerated", integer)
        self.loose_box = bare("FPDFText_GetLooseCharBox", integer)
        self.char_matrix = bare("FPDFText_GetMatrix", integer)
        self.char_origin = bare("FPDFText_GetCharOrigin", integer)
        self.char_font_size = bare("FPDFText_GetFontSize", ctypes.c_double)
        self.font = bare("FPDFTextObj_GetFont", void)  # an int: a key, passed on rarely
        self.descent = function("FPDFFont_GetDescent", integer, void, single, void)
        self.count_objects = bare("FPDFPage_CountObjects", integer)
        self.get_object = bare("FPDFPage_GetObject", _Handle)
        self.count_form_objects = bare("FPDFFormObj_CountObjects", integer)
        self.get_form_object = function("FPDFFormObj_GetObject", _Handle, void, ctypes.c_ulong)
        self.object_type = bare("FPDFPageObj_GetType", integer)
        self.object_matrix = bare("FPDFPageObj_GetMatrix", integer)
        self.count_segments = bare("FPDFPath_CountSegments", integer)
        self.get_segment = bare("FPDFPath_GetPathSegment", _Handle)
        self.segment_point = bare("FPDFPathSegment_GetPoint", integer)
        self.segment_type = bare("FPDFPathSegment_GetType", integer)
        self.segment_close = bare("FPDFPathSegment_GetClose", integer)
        self.path_type, self.form_type = raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM
        self.move_to, self.bezier_to = raw.FPDF_SEGMENT_MOVETO, raw.FPDF_SEGMENT_BEZIERTO
        self.point_x, self.point_y = ctypes.c_float(), ctypes.c_float()

        def reference(value: Any) -> Any:
            return void(ctypes.addressof(value))

        self.point_x_ref, self.point_y_ref = reference(self.point_x), reference(self.point_y)
        self.box, self.matrix = raw.FS_RECTF(), raw.FS_MATRIX()
        self.x, self.y, self.value = ctypes.c_double(), ctypes.c_double(), ctypes.c_float()
        self.box_ref, self.matrix_ref = reference(self.box), reference(self.matrix)
        self.x_ref, self.y_ref = reference(self.x), reference(self.y)
        self.value_ref = reference(self.value)


_per_thread = threading.local()  # the out-parameters are shared by the calls of one thread


def _the_api() -> _Api:
    api = getattr(_per_thread, "api", None)
    if api is None:
        try:
            api = _per_thread.api = _Api()
        except AttributeError as error:  # a pypdfium2 built on an older PDFium
            raise Unsupported(f"this PDFium lacks a function: {error}") from None
    return api


def _chars(textpage: Any, height: float) -> list[Char]:
    """The page's characters in content order, without those PDFium generates (spaces and line
    breaks it infers): pdfminer, and so pdfplumber, sees only the characters drawn."""
    import ctypes

    api = _the_api()
    handle = ctypes.cast(textpage.raw, ctypes.c_void_p)
    count = textpage.count_chars()
    text = _text(textpage, count)
    text_object, is_generated, loose_box = api.text_object, api.is_generated, api.loose_box
    pointer = api.pointer
    char_matrix, char_origin, font_size, font = (
        api.char_matrix,
        api.char_origin,
        api.char_font_size,
        api.font,
    )
    box, box_ref, matrix, matrix_ref = api.box, api.box_ref, api.matrix, api.matrix_ref
    y, x_ref, y_ref = api.y, api.x_ref, api.y_ref
    descents: dict[int, float] = {}  # per font of this page (addresses are reused later)
    verticals: dict[tuple, tuple[float, float, float]] = {}
    chars: list[Char] = []
    append, scale, rounder = chars.append, SCALE, _ROUNDER  # a hot loop
    last_object, top, bottom, middle_y = 0, 0.0, 0.0, 0.0
    for index in range(count):
        character = text[index]
        if character.isspace() and is_generated(handle, index):
            continue  # PDFium generates blanks and line breaks only
        address = text_object(handle, index)
        if not address:
            continue
        if address != last_object:  # one text object: one font, size and baseline
            last_object = address
            char_matrix(handle, index, matrix_ref)
            char_origin(handle, index, x_ref, y_ref)
            key = (
                font(pointer(address)),
                font_size(handle, index),
                matrix.d,
                matrix.b,
                matrix.c,
                y.value,
            )
            known = verticals.get(key)
            if known is None:
                known = verticals[key] = _vertical(api, key, matrix.a, height, descents)
            top, bottom, middle_y = known
        loose_box(handle, index, box_ref)
        left = (box.left * scale + rounder - rounder) / scale
        right = (box.right * scale + rounder - rounder) / scale
        append((character, left, right, top, bottom, (left + right) / 2, middle_y))
    _check_rounded(chars)
    return chars


def _check_rounded(chars: list[Char]) -> None:
    """The characters' x coordinates were in the range _ROUNDER rounds exactly (the sum of
    their magnitudes bounds each, and is NaN or infinite if one is)."""
    if not sum(map(abs, map(_X0, chars))) + sum(map(abs, map(_X1, chars))) < _ROUNDED_LIMIT:
        raise Unsupported("character coordinates out of range")


def _text(textpage: Any, count: int) -> str:
    text = textpage.get_text_range(0, count) if count else ""
    if len(text) != count:  # characters outside the BMP take two UTF-16 units
        raise Unsupported("characters outside the Basic Multilingual Plane")
    if "\ufffe" in text or "\x00" in text:
        raise Unsupported("characters without a Unicode value")
    return text


def _vertical(
    api: _Api, key: tuple, scale_x: float, height: float, descents: dict[int, float]
) -> tuple[float, float, float]:
    """pdfminer's vertical box of a character (top, bottom, middle): from the baseline plus the
    font's descent, one font size high (the ascent plays no part). ``key``: the font's address,
    the font size, the matrix's d, b and c, and the baseline."""
    font, font_size, scale, skew_b, skew_c, baseline = key
    if skew_b or skew_c or scale_x <= 0 or scale <= 0:
        raise Unsupported("text that is not upright")
    if not font:
        raise Unsupported("text without a font")
    descent = descents.get(font)
    if descent is None:
        if not api.descent(font, 1000.0, api.value_ref):
            raise Unsupported("font without metrics")
        descent = descents[font] = api.value.value
    size = font_size * scale
    bottom_y = baseline + descent / 1000 * size
    top_y = bottom_y + size
    top, bottom = (
        round((height - top_y) * SCALE) / SCALE,
        round((height - bottom_y) * SCALE) / SCALE,
    )
    return top, bottom, (top + bottom) / 2


# --- ruling lines ------------------------------------------------------------------------


def _edges(page: Any, height: float) -> Iterator[Edge]:
    """Horizontal and vertical edges of the page's lines, rectangles and other paths, in
    pdfplumber's order (lines, then rectangle sides, then other paths' segments)."""
    lines, rects, curves = [], [], []
    for points, shape in _subpaths(page, height):
        if shape in ("mlh", "ml"):
            lines.append(points[:2])
        elif shape in ("mlllh", "mllll") and _is_rectangle(points):
            rects.append(points)
        else:
            curves.append(points)
    for (x0, y0), (x1, y1) in lines:
        yield Edge("h" if y0 == y1 else "v", min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
    for points in rects:
        x0, x1 = min(p[0] for p in points), max(p[0] for p in points)
        top, bottom = min(p[1] for p in points), max(p[1] for p in points)
        yield Edge("h", x0, top, x1, top)
        yield Edge("h", x0, bottom, x1, bottom)
        yield Edge("v", x0, top, x0, bottom)
        yield Edge("v", x1, top, x1, bottom)
    for points in curves:
        for (x0, y0), (x1, y1) in pairwise(points):
            if x0 == x1 or y0 == y1:
                orientation = "v" if x0 == x1 else "h"
                yield Edge(orientation, min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def _is_rectangle(points: list[tuple[float, float]]) -> bool:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3), last = points
    closed = points[0] == last
    square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (
        y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0
    )
    return closed and square


_Points = list[tuple[float, float]]


def _subpaths(page: Any, height: float) -> Iterator[tuple[_Points, str]]:
    """Each painted subpath as (points in top-down page coordinates, operator string) the way
    pdfminer records it: m, l, c (its end point), h (back to the start)."""

    api = _the_api()
    matrix, point_x, point_y = api.matrix, api.point_x, api.point_y
    for path in _path_objects(api, api.pointer(_address(page.raw))):
        if not api.object_matrix(path, api.matrix_ref):
            continue
        a, b, c, d, e, f = matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f
        points: list[tuple[float, float]] = []
        shape = ""
        pending_curve = 0
        for index in range(api.count_segments(path)):
            segment = api.get_segment(path, index)
            api.segment_point(segment, api.point_x_ref, api.point_y_ref)
            x, y = point_x.value, point_y.value
            point = (
                round((a * x + c * y + e) * SCALE) / SCALE,
                round((height - (b * x + d * y + f)) * SCALE) / SCALE,
            )
            kind = api.segment_type(segment)
            if kind == api.move_to:
                if shape:
                    yield _painted(points, shape)
                points, shape = [point], "m"
            elif kind == api.bezier_to:
                pending_curve += 1
                if pending_curve == 3:  # a Bézier segment: two control points and its end
                    points.append(point)
                    shape += "c"
                    pending_curve = 0
            else:
                points.append(point)
                shape += "l"
            if api.segment_close(segment) and shape:
                points.append(points[0])
                shape += "h"
        if shape:
            yield _painted(points, shape)


def _painted(points: _Points, shape: str) -> tuple[_Points, str]:
    if len(shape) > 3 and shape.endswith("lh") and points[-2] == points[0]:
        shape = shape[:-2] + "h"  # a redundant line back to the start before closing
        points = points[:-2] + points[-1:]
    return points, shape


def _address(pointer: Any) -> int:
    """The address a ctypes pointer or handle holds (0 for NULL)."""
    import ctypes

    return ctypes.cast(pointer, ctypes.c_void_p).value or 0


def _path_objects(api: _Api, page: Any) -> list[Any]:
    """Path objects of the page, and of its form XObjects when their matrix is the identity
    (any other form placement is left to pdfplumber)."""
    objects = [api.get_object(page, index) for index in range(api.count_objects(page))]
    return _paths_among(api, objects)


def _paths_among(api: _Api, objects: list[Any]) -> list[Any]:
    paths = []
    for page_object in objects:
        kind = api.object_type(page_object)
        if kind == api.path_type:
            paths.append(page_object)
        elif kind == api.form_type:
            api.object_matrix(page_object, api.matrix_ref)
            matrix = api.matrix
            placement = (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)
            if placement != (1, 0, 0, 1, 0, 0):
                raise Unsupported("form XObject placed with a transformation")
            count = api.count_form_objects(page_object)
            inner = [api.get_form_object(page_object, index) for index in range(count)]
            paths.extend(_paths_among(api, inner))
    return paths


# --- tables: pdfplumber's "lines" strategy -------------------------------------------------

_Point = tuple[float, float]
_Box = tuple[float, float, float, float]  # x0, top, x1, bottom
# A cell's corners by the numbers of their points: top-left, bottom-left, top-right, bottom-right.
_Corners = tuple[int, int, int, int]
_Meeting = tuple[set[int], set[int]]  # the vertical and the horizontal edges meeting at a point


def find_tables(edges: list[Edge]) -> list[list[_Box]]:
    """Cells (x0, top, x1, bottom) of each table the edges draw, tables top to bottom."""
    vertical = [e for e in edges if e.orientation == "v" and e.bottom - e.top >= 1]
    horizontal = [e for e in edges if e.orientation == "h" and e.x1 - e.x0 >= 1]
    merged = _join(_snap(vertical, 1), "v") + _join(_snap(horizontal, 2), "h")
    kept = [
        e for e in merged if (e.bottom - e.top if e.orientation == "v" else e.x1 - e.x0) >= MIN_EDGE
    ]
    return _cells_to_tables(*_intersections_to_cells(_intersections(kept)))


def _cluster_ids(values: list[float], tolerance: float = TOLERANCE) -> dict[float, int]:
    """pdfplumber's clustering: sorted distinct values, a new cluster after each gap > tolerance."""
    ids: dict[float, int] = {}
    cluster, last = -1, None
    for value in sorted(set(values)):
        if last is None or value > last + tolerance:
            cluster += 1
        ids[value] = cluster
        last = value
    return ids


def _clusters(items: list[Any], key: Any) -> list[list[Any]]:
    """Items grouped by clustered key, clusters in key order, items in their order within one."""
    if not items:
        return []
    keys = list(map(key, items))
    if keys.count(keys[0]) == len(keys):
        return [items]
    ids = _cluster_ids(keys)
    groups: dict[int, list[Any]] = {}
    for value, item in zip(keys, items, strict=True):
        groups.setdefault(ids[value], []).append(item)
    return [groups[cluster] for cluster in sorted(groups)]


def _snap(edges: list[Edge], field: int) -> list[Edge]:
    """Edges within the tolerance of one another moved to their average position (x0 of vertical
    edges, top of horizontal ones), with pdfplumber's arithmetic."""
    snapped = []
    for cluster in _clusters(edges, itemgetter(field)):
        average = sum(edge[field] for edge in cluster) / len(cluster)
        for edge in cluster:
            shift = average - edge[field]
            orientation, x0, top, x1, bottom = edge
            if field == 1:
                snapped.append(Edge(orientation, x0 + shift, top, x1 + shift, bottom))
            else:
                snapped.append(Edge(orientation, x0, top + shift, x1, bottom + shift))
    return snapped


def _join(edges: list[Edge], orientation: str) -> list[Edge]:
    """Edges on one line joined where the gap between them is within the tolerance."""
    vertical = orientation == "v"
    position = attrgetter("x0") if vertical else attrgetter("top")
    start = attrgetter("top") if vertical else attrgetter("x0")

    def end(edge: Edge) -> float:
        return edge.bottom if vertical else edge.x1

    joined: list[Edge] = []
    for _, group in groupby(sorted(edges, key=position), key=position):
        line = sorted(group, key=start)
        result = [line[0]]
        for edge in line[1:]:
            last = result[-1]
            if start(edge) <= end(last) + TOLERANCE:
                if end(edge) > end(last):
                    result[-1] = (
                        last._replace(bottom=edge.bottom) if vertical else last._replace(x1=edge.x1)
                    )
            else:
                result.append(edge)
        joined.extend(result)
    return joined


def _intersections(edges: list[Edge]) -> dict[_Point, _Meeting]:
    """Points where a vertical and a horizontal edge meet within the tolerance, with the edges
    meeting there, each edge by a number (equal edges by one number: a set holds them once),
    each vertical edge tried against the horizontal ones near its length."""
    number: dict[Edge, int] = {}
    vertical = sorted((e for e in edges if e.orientation == "v"), key=lambda e: (e.x0, e.top))
    horizontal = sorted((e for e in edges if e.orientation == "h"), key=lambda e: (e.top, e.x0))
    vertical_ids = [number.setdefault(e, len(number)) for e in vertical]
    horizontal_ids = [number.setdefault(e, len(number)) for e in horizontal]
    tops = [h.top for h in horizontal]
    points: dict[_Point, _Meeting] = {}
    for (_, x, v_top, _, v_bottom), v_id in zip(vertical, vertical_ids, strict=True):
        first = bisect_left(tops, v_top - TOLERANCE - 1)
        last = bisect_right(tops, v_bottom + TOLERANCE + 1)
        for (_, x0, top, x1, _), h_id in zip(
            horizontal[first:last], horizontal_ids[first:last], strict=True
        ):
            if (
                v_top <= top + TOLERANCE
                and v_bottom >= top - TOLERANCE
                and x >= x0 - TOLERANCE
                and x <= x1 + TOLERANCE
            ):
                found = points.get((x, top))
                if found is None:
                    points[x, top] = ({v_id}, {h_id})
                else:
                    found[0].add(v_id)
                    found[1].add(h_id)
    return points


def _intersections_to_cells(
    points: dict[_Point, _Meeting],
) -> tuple[list[_Box], list[_Corners]]:
    """For each intersection, the smallest cell it is the top-left corner of (with its corners):
    pdfplumber's search, with the points below and to the right looked up instead of scanned.
    Points are numbered in (x, top) order, so each column lists its points top to bottom and
    each row left to right."""
    ordered = sorted(points)
    number = {point: index for index, point in enumerate(ordered)}
    down = [points[point][0] for point in ordered]
    across = [points[point][1] for point in ordered]
    columns: dict[float, list[int]] = {}
    rows: dict[float, list[int]] = {}
    in_column, in_row = [], []  # each point's place in its column and in its row
    for index, (x, top) in enumerate(ordered):
        column, row = columns.setdefault(x, []), rows.setdefault(top, [])
        in_column.append(len(column))
        in_row.append(len(row))
        column.append(index)
        row.append(index)
    cells, corners = [], []
    for index in range(len(ordered) - 1):
        x, top = ordered[index]
        # Two points in one column connect by a common vertical edge, in one row by a
        # horizontal one: the points below and to the right, and the far corner, are in line.
        below = columns[x][in_column[index] + 1 :]
        right = rows[top][in_row[index] + 1 :]
        found = _smallest_cell(index, below, right, ordered, number, down, across)
        if found:
            cells.append(found[0])
            corners.append(found[1])
    return cells, corners


def _smallest_cell(
    index: int,
    below: list[int],
    right: list[int],
    ordered: list[_Point],
    number: dict[_Point, int],
    down: list[set[int]],
    across: list[set[int]],
) -> tuple[_Box, _Corners] | None:
    """The cell whose top-left corner is point ``index``: the first point below it on a common
    vertical edge, with the first point to its right on a common horizontal edge whose far
    corner closes the cell."""
    edge_down, edge_across = down[index], across[index]
    for below_point in below:
        if edge_down.isdisjoint(down[below_point]):
            continue
        bottom = ordered[below_point][1]
        for right_point in right:
            if edge_across.isdisjoint(across[right_point]):
                continue
            corner = number.get((ordered[right_point][0], bottom))
            if (
                corner is not None
                and not down[corner].isdisjoint(down[right_point])
                and not across[corner].isdisjoint(across[below_point])
            ):
                x0, top = ordered[index]
                box = (x0, top, ordered[corner][0], bottom)
                return box, (index, below_point, right_point, corner)
    return None


def _cells_to_tables(cells: list[_Box], corners_of: list[_Corners]) -> list[list[_Box]]:
    """Cells grouped into tables: the sets of cells linked by shared corners (pdfplumber's
    grouping, found by walking corners instead of sweeping); single cells are no table."""
    sharing: dict[int, list[int]] = {}
    for index, corners in enumerate(corners_of):
        for corner in corners:
            sharing.setdefault(corner, []).append(index)
    seen = [False] * len(cells)
    tables = []
    for start in range(len(cells)):
        if seen[start]:
            continue
        seen[start] = True
        stack, table = [start], []
        while stack:
            index = stack.pop()
            table.append(cells[index])
            for corner in corners_of[index]:
                for other in sharing[corner]:
                    if not seen[other]:
                        seen[other] = True
                        stack.append(other)
        tables.append(table)
    tables.sort(key=lambda table: min(map(_TOP_LEFT, table)))
    return [table for table in tables if len(table) > 1]


# --- a page's items: table rows and text lines ----------------------------------------------


def items_of_page(chars: list[Char], edges: list[Edge], height: float, page: int) -> list[PageItem]:
    """Every text line and table row of a page, top to bottom (as the pdfplumber path reads
    them: a ruled frame around text with fewer than two filled columns is no table)."""
    grids = []
    tables = find_tables(edges)
    by_middle = (
        sorted(range(len(chars)), key=list(map(_MIDDLE_Y, chars)).__getitem__) if tables else []
    )
    middles = [chars[i][6] for i in by_middle]
    for cells in tables:
        rows, lefts = _table_rows(cells, chars, by_middle, middles)
        bounds = _bounds(cells)
        if any(sum(1 for cell in row if cell) >= 2 for row in rows):
            grids.append((bounds, rows, lefts, False))
        elif may_continue_a_row(rows, _first_on_page(chars, bounds[1])):
            grids.append((bounds, rows, lefts, True))
    boxes = [box for box, _, _, _ in grids]
    outside = _outside(chars, boxes, by_middle, middles)
    items = []
    for text, top, bottom in text_lines(outside):
        items.append(PageItem(top, text, top < EDGE or bottom > height - EDGE, page))
    for (_, table_top, _, _), rows, lefts, rest in grids:
        for offset, (row, row_lefts) in enumerate(zip(rows, lefts, strict=True)):
            texts = tuple(clean_cell(cell) for cell in row)
            top = table_top + offset / 1000
            items.append(PageItem(top, "\t".join(texts), False, page, texts, row_lefts, rest))
    items.sort(key=lambda item: item.top)
    return items


def may_continue_a_row(rows: list[list[str]], first: bool) -> bool:
    """Whether a ruled frame that is no table (fewer than two filled columns) may be the
    rest of a row a page break cut: one row of at least two cells, with text and no values,
    ``first`` on its page (below the running header's zone, nothing above it but in that
    zone: a ruled box in the zone is a running header's)."""
    if not first or len(rows) != 1 or len(rows[0]) < 2 or not any(rows[0]):
        return False
    return not any(is_value(clean_cell(cell)) for cell in rows[0] if cell)


def _first_on_page(chars: list[Char], top: float) -> bool:
    """Below the running header's zone, with no character above ``top`` but in that zone."""
    return top >= EDGE and not any(char[6] < top and char[3] >= EDGE for char in chars)


def _bounds(cells: list[_Box]) -> _Box:
    return (
        min(c[0] for c in cells),
        min(c[1] for c in cells),
        max(c[2] for c in cells),
        max(c[3] for c in cells),
    )


def _outside(
    chars: list[Char],
    boxes: list[_Box],
    by_middle: list[int],
    middles: list[float],
) -> list[Char]:
    """Characters whose centre lies in none of the boxes (edges included in the box), in
    content order (``by_middle`` and ``middles`` as for ``_table_rows``)."""
    if not boxes:
        return chars
    inside = set()
    for x0, top, x1, bottom in boxes:
        for index in by_middle[bisect_left(middles, top) : bisect_right(middles, bottom)]:
            if x0 <= chars[index][5] <= x1:
                inside.add(index)
    return [char for index, char in enumerate(chars) if index not in inside]


def _table_rows(
    cells: list[_Box],
    chars: list[Char],
    by_middle: list[int],
    middles: list[float],
) -> tuple[list[list[str]], list[tuple[float | None, ...]]]:
    """The table's text, row by row: cells grouped by their top, one column per distinct left
    edge (a column a merged cell covers stays empty); a character belongs to the cell its
    centre lies in (``by_middle``: the characters' indexes sorted by their vertical centre,
    ``middles`` those centres). With each row, the left edge of each of its cells (None where
    a merged cell covers the column)."""
    columns = sorted({cell[0] for cell in cells})
    rows = []
    lefts = []
    for row_top, row_cells in groupby(sorted(cells, key=itemgetter(1, 0)), key=itemgetter(1)):
        by_left = {cell[0]: cell for cell in row_cells}
        x0, top = min(by_left), row_top
        x1, bottom = max(cell[2] for cell in by_left.values()), max(c[3] for c in by_left.values())
        start, end = bisect_left(middles, top), bisect_left(middles, bottom)
        in_order = map(chars.__getitem__, sorted(by_middle[start:end]))
        in_row = [c for c in in_order if x0 <= c[5] < x1]
        texts = {left: cell_text(found) for left, found in _by_cell(in_row, by_left).items()}
        rows.append([texts.get(left, "") for left in columns])
        lefts.append(tuple(left if left in by_left else None for left in columns))
    return rows, lefts


def _by_cell(chars: list[Char], by_left: dict[float, _Box]) -> dict[float, list[Char]]:
    """The characters of each cell of a row (keyed by the cell's left edge), in content order.
    Side by side cells are looked up by position; overlapping ones (a character may then count
    in several) are scanned."""
    lefts = sorted(by_left)
    cells = [by_left[left] for left in lefts]
    if any(cell[2] > following[0] for cell, following in pairwise(cells)):
        return {cell[0]: _in_box(chars, cell) for cell in cells}
    found: list[list[Char]] = [[] for _ in lefts]
    for char in chars:
        middle_x = char[5]
        index = bisect_right(lefts, middle_x) - 1
        if index >= 0:
            _, top, x1, bottom = cells[index]
            if middle_x < x1 and top <= char[6] < bottom:
                found[index].append(char)
    return dict(zip(lefts, found, strict=True))


def _in_box(chars: list[Char], box: _Box) -> list[Char]:
    x0, top, x1, bottom = box
    return [c for c in chars if x0 <= c[5] < x1 and top <= c[6] < bottom]


# --- text: pdfplumber's words and lines, layout off ---------------------------------------------


class _Word(NamedTuple):
    text: str
    x0: float
    top: float
    x1: float
    bottom: float


def _words(chars: list[Char]) -> list[_Word]:
    """Characters clustered into lines by their top, each line left to right, cut into words
    at blanks and at gaps wider than the tolerance."""
    words = []
    for line in _clusters(chars, _TOP):
        current: list[Char] = []
        for char in sorted(line, key=_X0):
            if char[0].isspace():
                if current:
                    words.append(_word(current))
                current = []
                continue
            if current:
                _, x0, x1, top, _, _, _ = current[-1]
                if char[1] < x0 or char[1] > x1 + TOLERANCE or abs(char[3] - top) > TOLERANCE:
                    words.append(_word(current))
                    current = [char]
                    continue
            current.append(char)
        if current:
            words.append(_word(current))
    return words


def _word(chars: list[Char]) -> _Word:
    """A word of characters sorted left to right (so the first has the least x0)."""
    text = "".join([c[0] for c in chars]).translate(_LIGATURE_TABLE)
    if len(chars) == 1:
        _, x0, x1, top, bottom, _, _ = chars[0]
        return _Word(text, x0, top, x1, bottom)
    return _Word(
        text,
        chars[0][1],
        min([c[3] for c in chars]),
        max([c[2] for c in chars]),
        max([c[4] for c in chars]),
    )


def cell_text(chars: list[Char]) -> str:
    """A cell's text: its words, lines joined by newlines (pdfplumber's ``extract_text``)."""
    if not chars:
        return ""
    if len(chars) == 1:  # most cells of the three tables: one digit
        return _char_text(chars[0][0])
    char_lines, flat = _char_lines(chars)
    if flat:  # then words cluster as their characters do
        texts = [_line_text(line) for line in char_lines]
        return "\n".join([text for text in texts if text])
    lines = _clusters(_words(chars), itemgetter(2))
    return "\n".join(" ".join(word.text for word in line) for line in lines)


def _char_lines(chars: list[Char]) -> tuple[list[list[Char]], bool]:
    """``_clusters`` of the characters by their tops, and whether every line is flat (its tops
    within the tolerance, less a margin for rounding: no word of it starts a line of its own)."""
    tops = list(map(_TOP, chars))
    if tops.count(tops[0]) == len(tops):
        return [chars], True
    ids: dict[float, int] = {}
    cluster, first, last, flat = -1, 0.0, None, True
    for top in sorted(set(tops)):
        if last is None or top > last + TOLERANCE:
            cluster += 1
            first = top
        elif top - first >= TOLERANCE - 0.001:
            flat = False
        ids[top] = cluster
        last = top
    lines: dict[int, list[Char]] = {}
    for top, char in zip(tops, chars, strict=True):
        lines.setdefault(ids[top], []).append(char)
    return [lines[cluster] for cluster in sorted(lines)], flat


def _line_text(chars: list[Char]) -> str:
    """``_one_line`` of a flat line of characters in content order."""
    if len(chars) == 1:  # a narrow column's header wraps a character or two a line
        return _char_text(chars[0][0])
    return _one_line(sorted(chars, key=_X0))


def _char_text(text: str) -> str:
    """``_one_line`` of a single character."""
    return "" if text.isspace() else text.translate(_LIGATURE_TABLE)


def _one_line(chars: list[Char]) -> str:
    """``cell_text`` of one flat line of characters sorted left to right: words break only at
    blanks and gaps wider than the tolerance."""
    parts: list[str] = []
    append = parts.append
    reach = None  # where a gap after the previous drawn character starts a new word
    for text, x0, x1, _, _, _, _ in chars:
        if text.isspace():
            reach = None
            if parts and parts[-1] != " ":
                append(" ")
            continue
        if reach is not None and x0 > reach:
            append(" ")
        append(text)
        reach = x1 + TOLERANCE
    return "".join(parts).strip(" ").translate(_LIGATURE_TABLE)


def text_lines(chars: list[Char]) -> list[tuple[str, float, float]]:
    """Text lines (text, top, bottom) outside tables (pdfplumber's ``extract_text_lines``):
    consecutive words whose tops cluster together form one line."""
    if not chars:
        return []
    char_lines, flat = _char_lines(chars)
    if flat:  # then words cluster as their characters do
        lines = []
        for line in char_lines:
            text = _line_text(line)
            if text:
                drawn = [char for char in line if not char[0].isspace()]
                top, bottom = min(c[3] for c in drawn), max(c[4] for c in drawn)
                lines.append((text, top, bottom))
        return lines
    words = _words(chars)
    if not words:
        return []
    ids = _cluster_ids([word.top for word in words])
    lines = []
    for _, group in groupby(words, key=lambda word: ids[word.top]):
        line_words = list(group)
        text = " ".join(word.text for word in line_words)
        if text.strip():
            top, bottom = min(w.top for w in line_words), max(w.bottom for w in line_words)
            lines.append((text, top, bottom))
    return lines
