"""Harmonise municipality population to 2024 borders.

Method (also written into the catalogue notes, see NOTE_HARMONISATION):
* Each year's municipality codes are mapped to 2024 codes with codes/redistricting_to_b2024.csv
  (only which codes map where is used; the file's crude split weights are ignored).
* Merges (several old codes -> one 2024 code) are sums.
* Splits (one old code -> several 2024 codes) are apportioned per single year of age by the population
  of the receiving 2024 municipalities in the first year after the split (the first later year in which
  no single code covers two or more of them). Where that year has no one of a given age in any of the
  receivers, the receivers' all-age shares are used for that age.
* 2005-2021 come from the raw SSB 07459 exports (codes of each year); 2022-2026 from the file already on
  2024 borders, except that its pre-split years (2022-2023 for Ålesund/Haram), which it divides 50/50,
  are re-apportioned by the same rule.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from .errors import PipelineError

NOTE_HARMONISATION = (
    "Harmonisert til kommunegrensene fra 2024: sammenslåtte kommuner er summert; delte kommuner er fordelt "
    "per ettårig alder etter befolkningen i de nye kommunene det første året etter delingen "
    "(Snillfjord 2020, Tysfjord 2020, Ålesund/Haram 2024). Kilde for 2005–2021: SSB tabell 07459 med "
    "kommunenumrene fra hvert år; 2022–2026: samme tabell allerede på 2024-grenser (csdata), med årene før "
    "delingen av Ålesund/Haram fordelt på nytt etter samme regel. Fylke og land er summen av kommunene."
)
NOTE_HARMONISATION_EN = (
    "Harmonised to 2024 municipal borders: merged municipalities are summed; split municipalities are "
    "apportioned per single year of age by the population of the new municipalities in the first year "
    "after the split (Snillfjord 2020, Tysfjord 2020, Ålesund/Haram 2024). County and country are sums "
    "of municipalities."
)


@dataclass
class Harmoniser:
    """Holds the inputs and computes harmonised municipality population for any year 2005-2026."""

    raw: pd.DataFrame          # code, year, age, population: codes of each year (raw exports)
    b2024: pd.DataFrame        # level, region_code, year, age, population: on 2024 borders
    mapping: pd.DataFrame      # year, code_original, code_current
    municipalities: list[str]  # the 357 codes of 2024
    report: dict = field(default_factory=dict)
    _cache: dict = field(default_factory=dict)

    @cached_property
    def raw_years(self) -> list[int]:
        return sorted(int(y) for y in self.raw["year"].unique())

    @cached_property
    def mapping_years(self) -> set[int]:
        return {int(y) for y in self.mapping["year"].unique()}

    @cached_property
    def b2024_years(self) -> list[int]:
        return sorted(int(y) for y in self.b2024["year"].unique())

    def _map(self, year: int) -> pd.DataFrame:
        m = self.mapping[self.mapping["year"] == year]
        if m.empty:
            raise PipelineError(f"kodelisten har ingen kommunekoder for {year}")
        return m

    def split_groups(self, year: int) -> dict[str, tuple[str, ...]]:
        """Old code -> the 2024 codes it was split between, for one year's codes."""
        key = ("splits", year)
        if key not in self._cache:
            m = self._map(year)
            g = m.groupby("code_original")["code_current"].agg(lambda s: tuple(sorted(set(s))))
            self._cache[key] = {k: v for k, v in g.items() if len(v) > 1}
        return self._cache[key]

    def split_year(self, year: int, targets: tuple[str, ...]) -> int:
        """First year after `year` in which no single code covers two or more of `targets`."""
        tset = set(targets)
        last = max(self.b2024_years)
        for y in range(year + 1, last + 1):
            if y not in self.mapping_years:
                continue
            if not any(len(tset & set(v)) > 1 for v in self.split_groups(y).values()):
                return y
        raise PipelineError(f"fant ikke året etter delingen for {targets}")

    def weights(self, year: int, targets: tuple[str, ...]) -> pd.DataFrame:
        """Per-age apportioning weights (index age, columns targets, rows sum to 1)."""
        key = ("weights", year, targets)
        if key in self._cache:
            return self._cache[key]
        ys = self.split_year(year, targets)
        pop = self.municipality(ys)
        sub = pop[pop["code"].isin(targets)].pivot(index="age", columns="code", values="population")
        sub = sub.reindex(columns=list(targets)).fillna(0.0).astype(float)
        total = sub.sum(axis=1)
        allage = sub.sum(axis=0) / sub.to_numpy().sum()
        w = sub.div(total.replace(0, np.nan), axis=0)
        for age in w.index[total == 0]:
            w.loc[age] = allage
        self.report.setdefault("splits", {})["+".join(targets)] = {"weights_year": ys}
        self._cache[key] = w
        return w

    def municipality(self, year: int) -> pd.DataFrame:
        """Harmonised municipality population for `year`: code, age, population (float)."""
        if year in self._cache:
            return self._cache[year]
        if year in self.raw_years:
            out = self._from_raw(year)
        elif year in self.b2024_years:
            out = self._from_b2024(year)
        else:
            raise PipelineError(f"ingen befolkningsdata for {year}")
        missing = sorted(set(self.municipalities) - set(out["code"]))
        if missing:
            b = self.b2024
            in_b = b[(b["level"] == "municipality") & (b["year"] == year) & b["region_code"].isin(missing)]
            if not in_b.empty:
                raise PipelineError(f"{year}: mangler 2024-kommunene {missing} i eksporten, men de finnes i "
                                    "befolkningen på 2024-grenser")
            # no source has them: a gap, reported and shown as a gap
            self.report.setdefault("gaps", {})[str(year)] = missing
        self._cache[year] = out
        return out

    def _apply(self, year: int, pop: pd.DataFrame) -> pd.DataFrame:
        """Map a frame of (code, age, population) in `year`'s codes onto 2024 codes."""
        m = self._map(year)
        splits = self.split_groups(year)
        simple = m[~m["code_original"].isin(splits)]
        merged = pop.merge(simple, left_on="code", right_on="code_original", how="inner")
        parts = [merged.groupby(["code_current", "age"], as_index=False)["population"].sum()]
        for old, targets in sorted(splits.items()):
            src = pop[pop["code"] == old].set_index("age")["population"].astype(float)
            if src.empty:
                continue
            w = self.weights(year, targets).reindex(src.index)
            alloc = w.mul(src, axis=0).reset_index().melt(id_vars="age", var_name="code_current",
                                                           value_name="population")
            parts.append(alloc)
        out = pd.concat(parts, ignore_index=True).groupby(["code_current", "age"], as_index=False)["population"].sum()
        out = out.rename(columns={"code_current": "code"})
        out["population"] = out["population"].astype(float)
        return out.sort_values(["code", "age"]).reset_index(drop=True)

    def _from_raw(self, year: int) -> pd.DataFrame:
        pop = self.raw[self.raw["year"] == year][["code", "age", "population"]]
        m = self._map(year)
        known = set(m["code_original"])
        extra = pop[~pop["code"].isin(known)]
        nonzero = extra.groupby("code")["population"].sum()
        nonzero = nonzero[nonzero > 0]
        if len(nonzero):
            raise PipelineError(
                f"{year}: eksporten har befolkning i koder som ikke finnes i kodelisten for året: "
                f"{dict(nonzero.head(5))}")
        absent = known - set(pop["code"])
        fill = self._targets_missing_from_export(year, absent)
        self.report.setdefault("raw_years", {})[str(year)] = {
            "codes_in_export": int(pop["code"].nunique()),
            "codes_of_the_year": len(known),
            "empty_codes_dropped": int(extra["code"].nunique()),
            "merged_codes": int((m.groupby("code_current").size() > 1).sum()),
            "split_codes": sorted(self.split_groups(year)),
            "persons": int(pop["population"].sum()),
        }
        out = self._apply(year, pop[pop["code"].isin(known)])
        if fill:
            b = self.b2024
            sub = b[(b["level"] == "municipality") & (b["year"] == year) & b["region_code"].isin(fill)]
            sub = sub.rename(columns={"region_code": "code"})[["code", "age", "population"]]
            grid = pd.MultiIndex.from_product([fill, range(0, 106)], names=["code", "age"])
            sub = sub.set_index(["code", "age"]).reindex(grid, fill_value=0).reset_index()
            sub["population"] = sub["population"].astype(float)
            out = pd.concat([out, sub], ignore_index=True).sort_values(["code", "age"]).reset_index(drop=True)
            self.report.setdefault("filled_from_b2024", {})[str(year)] = {
                "missing_codes_in_export": sorted(absent), "municipalities_2024": fill}
        return out

    def _targets_missing_from_export(self, year: int, absent: set[str]) -> list[str]:
        """2024 municipalities whose every source code of `year` is missing from the raw export.

        The 07459 exports in the mirror lack some codes that were merged away later (e.g. 0706 Sandefjord,
        0719 Andebu, 0720 Stokke before 2017). For a 2024 municipality made only of such codes, and not
        involved in a split, the figures are taken from the SSB population on 2024 borders (b2024 file),
        which is the same SSB count already summed to the 2024 municipality. Anything else is an error.
        """
        if not absent:
            return []
        m = self._map(year)
        splits = self.split_groups(year)
        targets = sorted(set(m.loc[m["code_original"].isin(absent), "code_current"]))
        for t in targets:
            sources = set(m.loc[m["code_current"] == t, "code_original"])
            if not sources <= absent or sources & set(splits):
                raise PipelineError(
                    f"{year}: eksporten mangler kodene {sorted(sources & absent)} som inngår i {t}, "
                    "mens andre deler av kommunen finnes; kan ikke harmoniseres")
        if year not in self.b2024_years:
            raise PipelineError(f"{year}: eksporten mangler kommunene {sorted(absent)}")
        return targets

    def _from_b2024(self, year: int) -> pd.DataFrame:
        b = self.b2024
        pop = b[(b["level"] == "municipality") & (b["year"] == year)][["region_code", "age", "population"]]
        pop = pop.rename(columns={"region_code": "code"})
        # complete the age grid (the file omits some zero rows)
        grid = pd.MultiIndex.from_product([sorted(pop["code"].unique()), range(0, 106)], names=["code", "age"])
        pop = pop.set_index(["code", "age"]).reindex(grid, fill_value=0).reset_index()
        pop["population"] = pop["population"].astype(float)
        splits = self.split_groups(year) if year in self.mapping_years else {}
        for old, targets in sorted(splits.items()):
            # the file divides pre-split years 50/50: put the parts together and re-apportion
            if not set(targets) <= set(pop["code"]):
                continue
            combined = pop[pop["code"].isin(targets)].groupby("age")["population"].sum()
            w = self.weights(year, targets).reindex(combined.index)
            alloc = w.mul(combined, axis=0)
            for t in targets:
                sel = pop["code"] == t
                pop.loc[sel, "population"] = pop.loc[sel, "age"].map(alloc[t]).to_numpy()
            self.report.setdefault("resplit_b2024", []).append({"year": year, "codes": list(targets)})
        return pop.sort_values(["code", "age"]).reset_index(drop=True)

    def all_years(self, years: list[int]) -> pd.DataFrame:
        frames = []
        for y in years:
            f = self.municipality(y).copy()
            f["year"] = y
            frames.append(f)
        out = pd.concat(frames, ignore_index=True)
        return out[["code", "year", "age", "population"]].astype({"year": "int16", "age": "int16"})


def cross_check(ours: pd.DataFrame, b2024: pd.DataFrame, years: list[int]) -> dict:
    """Compare our harmonised municipality population with the b2024 file, per municipality-year."""
    theirs = b2024[(b2024["level"] == "municipality") & (b2024["year"].isin(years))]
    theirs = theirs.groupby(["region_code", "year"])["population"].sum().rename("theirs")
    mine = ours[ours["year"].isin(years)].groupby(["code", "year"])["population"].sum().rename("ours")
    mine.index = mine.index.set_names(["region_code", "year"])
    both = pd.concat([mine, theirs], axis=1).fillna(0.0)
    both["diff"] = both["ours"] - both["theirs"]
    differ = both[both["diff"].abs() > 1e-6]
    by_code = differ.groupby(level="region_code")["diff"].agg(lambda s: float(s.abs().max()))
    # single ages too: the file should agree exactly for every municipality that was not split
    theirs_a = b2024[(b2024["level"] == "municipality") & (b2024["year"].isin(years))].set_index(
        ["region_code", "year", "age"])["population"]
    mine_a = ours[ours["year"].isin(years)].set_index(["code", "year", "age"])["population"]
    mine_a.index = mine_a.index.set_names(["region_code", "year", "age"])
    ages = pd.concat([mine_a.rename("ours"), theirs_a.rename("theirs")], axis=1).fillna(0.0)
    age_diff = ages[(ages["ours"] - ages["theirs"]).abs() > 1e-6]
    return {
        "years": [int(min(years)), int(max(years))],
        "municipality_years_compared": int(len(both)),
        "municipality_years_differing": int(len(differ)),
        "single_age_cells_compared": int(len(ages)),
        "single_age_cells_differing": int(len(age_diff)),
        "codes_differing": {k: round(v, 1) for k, v in by_code.sort_index().items()},
        "national_total_diff_max": float(
            both.groupby(level="year")["diff"].sum().abs().max()),
    }
