"""The whole build: atomic swap, schema failures, corrupt inputs, reproducibility of the committed data/."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipeline import build as B
from pipeline.errors import PipelineError
from pipeline.schemas import validate


def _mirror(raw_dir: Path, dest: Path) -> Path:
    """A raw dir of symlinks to the real mirror, so single files can be replaced by broken ones."""
    for f in raw_dir.rglob("*"):
        if f.is_file():
            t = dest / f.relative_to(raw_dir)
            t.parent.mkdir(parents=True, exist_ok=True)
            t.symlink_to(f)
    return dest


def _sentinel_out(tmp_path: Path) -> Path:
    out = tmp_path / "data"
    out.mkdir()
    (out / "catalog.parquet").write_bytes(b"old data")
    return out


def _assert_untouched(out: Path):
    assert (out / "catalog.parquet").read_bytes() == b"old data"
    assert sorted(p.name for p in out.parent.iterdir()) == ["data", "raw"]  # no temp folders left


@pytest.mark.parametrize("victim,content,expect", [
    ("population/ssb07459-Personer2019.csv", b"region,age,Persons 2019\n0101 Halden,0 years,abc\n", "ugyldig tall"),
    ("population/ssb07459-Personer2021.csv", None, "mangler"),
    ("population/population_by_age_b2024_2005-2026.csv.gz", b"\x1f\x8b\x08\x00garbage", "kan ikke leses"),
    ("codes/municipalities_b2024.csv", b"municipality_code,municipality_name,county_code,county_name\n0301,Oslo,03,Oslo\n",
     "357"),
])
def test_corrupt_or_missing_input_leaves_data_untouched(tmp_path, raw_dir, victim, content, expect):
    raw = _mirror(raw_dir, tmp_path / "raw")
    (raw / victim).unlink()
    if content is not None:
        (raw / victim).write_bytes(content)
    out = _sentinel_out(tmp_path)
    with pytest.raises(PipelineError) as exc:
        B.build(raw, out, log=lambda m: None)
    assert expect in str(exc.value)
    assert Path(victim).name in str(exc.value) or expect == "357"
    _assert_untouched(out)


def test_schema_failure_stops_build(tmp_path, raw_dir, monkeypatch):
    raw = _mirror(raw_dir, tmp_path / "raw")
    out = _sentinel_out(tmp_path)
    real = B.ind.compute

    def broken(pop):
        df = real(pop)
        df.loc[df.index[0], "region_code"] = "XX"  # an impossible code
        return df
    monkeypatch.setattr(B.ind, "compute", broken)
    with pytest.raises(PipelineError, match="indicators"):
        B.build(raw, out, log=lambda m: None)
    _assert_untouched(out)


def test_schemas_reject_bad_frames():
    ok = pd.DataFrame({"id": ["a"], "name_nb": ["A"], "name_en": ["A"]})
    with pytest.raises(PipelineError, match="service_areas"):
        validate("service_areas", ok)  # missing sort_order
    reg = pd.DataFrame({"region_code": ["0301"], "level": ["county"], "name": ["Oslo"], "county_code": ["03"],
                        "county_name": ["Oslo"], "sort_order": pd.Series([0], dtype="int32")})
    with pytest.raises(PipelineError, match="regions"):
        validate("regions", reg)


def test_build_reproduces_committed_data_byte_for_byte(tmp_path, raw_dir, data_dir):
    """A fresh build equals the committed data/ exactly: deterministic, and data/ is up to date."""
    out = tmp_path / "data"
    manifest = B.build(raw_dir, out, log=lambda m: None)
    assert manifest["tables"]["regions"]["rows"] == 1 + 15 + 357
    built = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    committed = sorted(p.relative_to(data_dir).as_posix() for p in data_dir.rglob("*") if p.is_file())
    assert built == committed
    differing = [f for f in built if (out / f).read_bytes() != (data_dir / f).read_bytes()]
    assert differing == []
    shutil.rmtree(out)
