"""Parsing the SSB 07459 exports in each of their three real layouts.

FIXTURES: the files written here are small hand-made files in the exact format of the raw exports
(copied layout, invented-for-test counts); they live only in pytest's tmp_path and never reach data/.
"""
from __future__ import annotations

import gzip

import pytest

from pipeline.errors import PipelineError
from pipeline.sources import read_07459, read_b2024

AGES = ["0 years", "1 year"] + [f"{a} years" for a in range(2, 105)] + ["105 years or older"]


def _rows(region, base):
    return [(region, age, base + i) for i, age in enumerate(AGES)]


def write_tab(path, years=(2005, 2006)):
    """Layout 1: tab-separated, quoted, ISO-8859-1 (2005-2018, 2020)."""
    head = "\t".join(['"region"', '"age"'] + [f'"Persons {y}"' for y in years])
    lines = [head]
    for region, age, v in _rows("0101 Halden", 10) + _rows("1756 Inderøy (-2017)", 0):
        lines.append("\t".join([f'"{region}"', f'"{age}"'] + [str(v + k) for k in range(len(years))]))
    path.write_bytes(("\n".join(lines) + "\n").encode("iso-8859-1"))
    return path


def write_comma(path):
    """Layout 2: plain comma-separated, UTF-8 (2019, names with lost letters as in the real file)."""
    lines = ["region,age,Persons 2019"]
    lines += [f"{r},{a},{v}" for r, a, v in _rows("0121 R\ufffdmskog", 1)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_semicolon(path):
    """Layout 3: title line, blank line, then ';'-separated quoted, ISO-8859-1 (2021)."""
    lines = ['"07459: Population, by region, age, contents and year"', "", '"region";"age";"Persons 2021"']
    lines += [f'"{r}";"{a}";{v}' for r, a, v in _rows("K-3001 Halden", 5)]
    lines += [f'"K-Rest Divided municalities and unknown";"{a}";0' for a in AGES]
    path.write_bytes(("\n".join(lines) + "\n").encode("iso-8859-1"))
    return path


def test_tab_layout(tmp_path):
    e = read_07459(write_tab(tmp_path / "fixture-tab.csv"))
    assert e.layout == "tab-quoted" and e.encoding == "iso-8859-1"
    assert sorted(e.data["code"].unique()) == ["0101", "1756"]
    assert sorted(e.data["year"].unique()) == [2005, 2006]
    halden = e.data[(e.data["code"] == "0101") & (e.data["year"] == 2006)].set_index("age")["population"]
    assert halden[0] == 11 and halden[105] == 10 + 105 + 1
    assert e.data["code"].map(type).eq(str).all()


def test_comma_layout(tmp_path):
    e = read_07459(write_comma(tmp_path / "fixture-comma.csv"))
    assert e.layout == "comma" and e.encoding == "utf-8"
    assert list(e.data["code"].unique()) == ["0121"]
    assert e.data["age"].max() == 105 and len(e.data) == 106


def test_semicolon_layout_with_title_and_rest_category(tmp_path):
    e = read_07459(write_semicolon(tmp_path / "fixture-semicolon.csv"))
    assert e.layout == "semicolon-titled"
    assert list(e.data["code"].unique()) == ["3001"]
    assert e.data["population"].sum() == sum(5 + i for i in range(106))
    assert list(e.rest["label"]) == ["K-Rest Divided municalities and unknown"]


def test_real_exports_parse(raw_dir):
    layouts = {}
    for f in sorted((raw_dir / "population").glob("ssb07459-*.csv")):
        e = read_07459(f)
        layouts[e.layout] = layouts.get(e.layout, 0) + 1
        assert (e.data.groupby(["code", "year"]).size() == 106).all()
    assert layouts == {"tab-quoted": 4, "comma": 1, "semicolon-titled": 1}


@pytest.mark.parametrize("bad,expect", [
    ('"0101 Halden"\t"0 years"\t12\t1x\n', "ugyldig tall «1x»"),
    ('"0101 Halden"\t"seven years"\t12\t13\n', "ukjent aldersverdi"),
    ('"Halden"\t"0 years"\t12\t13\n', "ukjent regionsbetegnelse"),
])
def test_corrupt_cells_name_file_and_line(tmp_path, bad, expect):
    p = write_tab(tmp_path / "fixture-bad.csv")
    lines = p.read_bytes().decode("iso-8859-1").splitlines(keepends=True)
    lines[5] = bad  # line 6 of the file
    p.write_bytes("".join(lines).encode("iso-8859-1"))
    with pytest.raises(PipelineError) as exc:
        read_07459(p)
    assert expect in str(exc.value)
    assert "fixture-bad.csv" in str(exc.value)
    if "tall" in expect or "alder" in expect or "region" in expect:
        assert "linje 6" in str(exc.value)


def test_missing_and_empty_file(tmp_path):
    with pytest.raises(PipelineError, match="mangler"):
        read_07459(tmp_path / "nope.csv")
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(PipelineError, match="tom"):
        read_07459(tmp_path / "empty.csv")


def test_missing_age_rows_rejected(tmp_path):
    p = write_comma(tmp_path / "fixture-comma.csv")
    lines = p.read_text(encoding="utf-8").splitlines()
    p.write_text("\n".join(lines[:-3]) + "\n", encoding="utf-8")
    with pytest.raises(PipelineError, match="aldersrader"):
        read_07459(p)


def test_truncated_gzip_b2024(tmp_path):
    p = tmp_path / "fixture-b2024.csv.gz"
    data = gzip.compress(b"level,region_code,year,age,population\nmunicip,0301,2024,0,100\n" * 50)
    p.write_bytes(data[: len(data) // 2])
    with pytest.raises(PipelineError, match="fixture-b2024.csv.gz"):
        read_b2024(p)
