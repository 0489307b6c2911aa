"""Readers for the raw SSB population exports and the code lists.

SSB table 07459 exports come in three layouts (see ../shared/data/SOURCES.md):
  * tab-separated with quoted fields, ISO-8859-1 (2005-2018, 2020)
  * plain comma-separated, UTF-8 (2019; its Norwegian letters were already lost upstream,
    so names are taken from the code list, never from the export)
  * ';'-separated after a title line and a blank line, ISO-8859-1 (2021)
The layout is detected from the file itself (encoding, header line, delimiter), then parsed with
pandas.read_csv. Region labels look like "0101 Halden" or "K-3001 Halden"; rest categories
("K-Rest ...", "K-21-22 Svalbard ...", "K-23 Continental shelf") are kept apart and reported.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .errors import PipelineError

REGION_RE = re.compile(r"^(?:K-)?(?P<code>\d{4})\s+(?P<name>.+)$")
AGE_RE = re.compile(r"^(?P<age>\d{1,3}) years?(?P<top> or older)?$")
YEAR_COL_RE = re.compile(r"^(?:Persons|Personer)\s+(?P<year>\d{4})$")
MAX_AGE = 105


@dataclass
class Export:
    """One parsed 07459 export: municipality rows in long form plus what was set aside."""

    path: Path
    layout: str
    encoding: str
    data: pd.DataFrame  # code, year, age, population (int64)
    rest: pd.DataFrame = field(default_factory=pd.DataFrame)  # label, year, population (sum over ages)


def _decode(raw: bytes, path: Path) -> tuple[str, str]:
    for enc in ("utf-8", "iso-8859-1"):
        try:
            return raw.decode(enc), enc
        except UnicodeDecodeError:
            continue
    raise PipelineError("kan ikke lese tegnkodingen", path)  # pragma: no cover - latin-1 decodes anything


def _detect_layout(text: str, path: Path) -> tuple[int, str, str]:
    """Return (number of lines before the header, delimiter, layout name)."""
    lines = text.splitlines()
    for i, line in enumerate(lines[:10]):
        if line.strip().strip('"').lower().startswith("region"):
            try:
                dialect = csv.Sniffer().sniff(line, delimiters="\t,;")
            except csv.Error as exc:
                raise PipelineError(f"ukjent skilletegn i overskriftslinjen ({exc})", path, i + 1) from exc
            delim = dialect.delimiter
            name = {"\t": "tab-quoted", ",": "comma", ";": "semicolon-titled"}[delim]
            return i, delim, name
    raise PipelineError("fant ingen overskriftslinje som starter med «region»", path, 1)


def read_07459(path: Path) -> Export:
    """Parse one SSB 07459 export into long form (code, year, age, population)."""
    path = Path(path)
    if not path.is_file():
        raise PipelineError("råfilen mangler", path)
    raw = path.read_bytes()
    if not raw.strip():
        raise PipelineError("råfilen er tom", path)
    text, encoding = _decode(raw, path)
    skip, delim, layout = _detect_layout(text, path)
    try:
        df = pd.read_csv(
            io.StringIO(text), sep=delim, skiprows=skip, dtype=str, quotechar='"',
            keep_default_na=False, skip_blank_lines=True,
        )
    except (pd.errors.ParserError, ValueError) as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise PipelineError(f"kan ikke tolkes som CSV ({exc})", path, int(m.group(1)) + skip if m else None) from exc
    first_data_line = skip + 2  # 1-based line number of the first data row
    cols = list(df.columns)
    if len(cols) < 3 or cols[0].strip().lower() != "region" or cols[1].strip().lower() != "age":
        raise PipelineError(f"uventede kolonner {cols[:3]} (ventet region, age, Persons ÅÅÅÅ)", path, skip + 1)
    year_cols = {}
    for c in cols[2:]:
        m = YEAR_COL_RE.match(c.strip())
        if not m:
            raise PipelineError(f"uventet kolonne «{c}» (ventet «Persons ÅÅÅÅ»)", path, skip + 1)
        year_cols[c] = int(m.group("year"))
    df = df.rename(columns={cols[0]: "region", cols[1]: "age"})
    df["line"] = range(first_data_line, first_data_line + len(df))

    ages = df["age"].str.strip().str.extract(AGE_RE)
    bad = ages["age"].isna()
    if bad.any():
        row = df[bad].iloc[0]
        raise PipelineError(f"ukjent aldersverdi «{row['age']}»", path, int(row["line"]))
    df["age_n"] = ages["age"].astype("int16")
    if (df["age_n"] > MAX_AGE).any() or ((ages["top"].notna()) & (df["age_n"] != MAX_AGE)).any():
        row = df[(df["age_n"] > MAX_AGE) | (ages["top"].notna() & (df["age_n"] != MAX_AGE))].iloc[0]
        raise PipelineError(f"aldersgruppe utenfor 0–105 «{row['age']}»", path, int(row["line"]))

    reg = df["region"].str.strip().str.extract(REGION_RE)
    is_muni = reg["code"].notna()
    is_rest = ~is_muni & df["region"].str.strip().str.startswith("K-")
    unknown = ~is_muni & ~is_rest
    if unknown.any():
        row = df[unknown].iloc[0]
        raise PipelineError(f"ukjent regionsbetegnelse «{row['region']}»", path, int(row["line"]))
    df["code"] = reg["code"]

    long = df.melt(id_vars=["region", "code", "age_n", "line"], value_vars=list(year_cols),
                   var_name="col", value_name="value")
    long["year"] = long["col"].map(year_cols).astype("int16")
    num = pd.to_numeric(long["value"].str.strip(), errors="coerce")
    badv = num.isna() | (num < 0) | (num != num.round())
    if badv.any():
        row = long[badv].iloc[0]
        raise PipelineError(
            f"ugyldig tall «{row['value']}» i kolonnen «{row['col']}» for {row['region']}", path, int(row["line"]))
    long["population"] = num.astype("int64")

    muni = long[long["code"].notna()]
    dup = muni.duplicated(["code", "year", "age_n"])
    if dup.any():
        row = muni[dup].iloc[0]
        raise PipelineError(f"dobbel rad for {row['region']}, {row['age_n']} år, {row['year']}", path, int(row["line"]))
    data = (muni.rename(columns={"age_n": "age"})[["code", "year", "age", "population"]]
            .sort_values(["year", "code", "age"]).reset_index(drop=True))
    rest = (long[long["code"].isna()].groupby(["region", "year"], as_index=False)["population"].sum()
            .rename(columns={"region": "label"}))
    # every code must have all 106 ages per year
    counts = data.groupby(["code", "year"]).size()
    if (counts != MAX_AGE + 1).any():
        (code, year), n = next(iter(counts[counts != MAX_AGE + 1].items()))
        raise PipelineError(f"kommune {code} har {n} aldersrader for {year} (ventet {MAX_AGE + 1})", path)
    return Export(path=path, layout=layout, encoding=encoding, data=data, rest=rest)


def read_b2024(path: Path) -> pd.DataFrame:
    """The population already on 2024 borders (csdata): level, region_code, year, age, population."""
    path = Path(path)
    if not path.is_file():
        raise PipelineError("råfilen mangler", path)
    try:
        df = pd.read_csv(path, dtype={"level": str, "region_code": str}, compression="gzip")
    except Exception as exc:  # gzip/CSV errors of any kind: name the file
        raise PipelineError(f"kan ikke leses ({type(exc).__name__}: {exc})", path) from exc
    need = {"level", "region_code", "year", "age", "population"}
    if not need <= set(df.columns):
        raise PipelineError(f"mangler kolonner {sorted(need - set(df.columns))}", path, 1)
    for c in ("year", "age", "population"):
        v = pd.to_numeric(df[c], errors="coerce")
        if v.isna().any():
            i = int(v.isna().to_numpy().nonzero()[0][0])
            raise PipelineError(f"ugyldig verdi «{df[c].iloc[i]}» i kolonnen {c}", path, i + 2)
        df[c] = v.astype("int64")
    df["level"] = df["level"].map({"nation": "country", "county": "county", "municip": "municipality"})
    if df["level"].isna().any():
        raise PipelineError("ukjent nivå (ventet nation/county/municip)", path)
    df.loc[df["level"] == "country", "region_code"] = "NO"
    return df.astype({"year": "int16", "age": "int16"})


def read_municipalities(path: Path) -> pd.DataFrame:
    """357 municipalities on 2024 borders with county code and name."""
    path = Path(path)
    if not path.is_file():
        raise PipelineError("råfilen mangler", path)
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
    except Exception as exc:
        raise PipelineError(f"kan ikke leses ({exc})", path) from exc
    need = ["municipality_code", "municipality_name", "county_code", "county_name"]
    if not set(need) <= set(df.columns):
        raise PipelineError(f"mangler kolonner {sorted(set(need) - set(df.columns))}", path, 1)
    bad = ~df["municipality_code"].str.fullmatch(r"\d{4}") | ~df["county_code"].str.fullmatch(r"\d{2}")
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise PipelineError(f"ugyldig kode «{df['municipality_code'].iloc[i]}»", path, i + 2)
    if df["municipality_code"].duplicated().any() or len(df) != 357:
        raise PipelineError(f"ventet 357 unike kommunenummer, fant {df['municipality_code'].nunique()}", path)
    return df


def read_redistricting(path: Path) -> pd.DataFrame:
    """Municipality code mapping, each year's codes -> 2024 codes (weights ignored: we derive our own)."""
    path = Path(path)
    if not path.is_file():
        raise PipelineError("råfilen mangler", path)
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
    except Exception as exc:
        raise PipelineError(f"kan ikke leses ({exc})", path) from exc
    need = {"level", "year", "code_original", "code_current"}
    if not need <= set(df.columns):
        raise PipelineError(f"mangler kolonner {sorted(need - set(df.columns))}", path, 1)
    df = df[df["level"] == "municip"].copy()
    yr = pd.to_numeric(df["year"], errors="coerce")
    if yr.isna().any():
        raise PipelineError("ugyldig årstall", path)
    df["year"] = yr.astype("int16")
    bad = ~df["code_original"].str.fullmatch(r"\d{4}") | ~df["code_current"].str.fullmatch(r"\d{4}")
    if bad.any():
        raise PipelineError(f"ugyldig kommunenummer i {int(bad.sum())} rader", path)
    return df[["year", "code_original", "code_current"]].drop_duplicates().reset_index(drop=True)
