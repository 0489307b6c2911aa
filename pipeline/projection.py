"""Population projection per municipality (single year of age, 2024 borders) and its backtest.

The product's own small-area projection, used offline where SSB's projection is not available. It is a
cohort-change-ratio (Hamilton–Perry) model, the standard method for small areas when only population by age
is known (no births, deaths or migration by municipality):

1. **Cohort-change ratios** ``CCR(a) = P(a+1, t+1) / P(a, t)`` per municipality and single age, smoothed over
   the last ``Params.base_years`` = 10 one-year transitions as a ratio of sums (sum of numerators over sum of
   denominators: more stable than a mean of ratios). A CCR folds survival and net migration into one number,
   so it may exceed 1. *The migration base period* is ten years (2016–2026 in production), not five: a
   five-year window from 2026 would be 2021–2026, the immigration peak (refugees from Ukraine from 2022),
   and a CCR carries its window's net migration forward for every projected year. Measured in the backtest
   (tests/benchmarks/backtest.py, only data up to each start year): median error per municipality, total
   population, 10 against 5 years: 2014→2024 3.6 % against 5.1 %, 2016→2026 3.6 % against 4.8 %; 80+ equal
   or better (3.7/3.9 % against 3.9/4.2 %). 2010→2020 has only five earlier transitions, so it is unchanged.
2. **Oldest ages pooled**: ages ``Params.pool_age`` and over are projected as one group with its own ratio
   ``P(A+, t+1) / P((A-1)+, t)``; the group total is then split over the single ages A..105 by ageing each
   age with the national single-age ratio.
3. **Small municipalities stabilised**: a municipality's ratio is shrunk towards its county's, and the
   county's towards the country's, empirical-Bayes style:
   ``CCR = (N + k * CCR_parent) / (D + k)``, i.e. weight ``w = D / (D + k)`` on the local ratio, where D is
   the population at risk summed over the base window and k is in person-years: ``Params.shrink_k`` = 300
   from age 50 and ``Params.shrink_k_young`` = 200 below it (young adults' migration differs genuinely
   between places, so their own ratios are trusted sooner). Both were chosen on the 2010→2020 backtest
   window only (grid 50–1600; lowest median error for 80+ and for 18–66 respectively); 2014→2024 is out of
   sample. Ratios are then capped (``Params.cap_young`` below age 65,
   ``Params.cap_old`` from 65), so no local migration spike is compounded for 15 years.
4. **Mortality improvement** at ages ``Params.improve_from_age`` and over: ``q = 1 - CCR`` in the national
   series (at old ages nearly all of it is mortality) is regressed on calendar year over the last
   ``Params.trend_years`` = 15 transitions, log-linearly, per age band (60–69, 70–79, 80–89, 90–93, the
   pooled step 94+ → 95+) with age fixed effects, weighted by deaths. (The backtests have only 5 and 9 transitions
   before their start years and use them all; 15 rather than 10 keeps the 2020–2022 pandemic years from
   dominating the slope in the production run from 2026.) The rate ``rho`` (clipped to [0, ``Params.max_improvement``]) is carried forward from the centre of
   the base window: each local ratio is multiplied by ``(1 - q e^(-rho τ)) / (1 - q)``, τ years from the
   centre of the base window to the projected transition.
5. **Births**: the number of 0-year-olds on 1 January is a *child–adult* ratio times the population aged
   20–44 on the same date. The data have no sex dimension, so this stands in for the classical child–woman
   ratio: 0-year-olds per resident aged 20–44 of both sexes, ratio of sums over the last
   ``Params.birth_years`` years, shrunk towards the county like the CCRs. It assumes today's fertility
   (and the sex balance at 20–44) holds.

6. **Consistent with SSB's national projection** (:func:`calibrate`, used by ``pipeline/projected.py``): the
   municipality × single-age result is raked, year by year, to the national totals per age group of one
   alternative of SSB's national projection (2026: table 14746, main MMMM, low LLML, high HHMH). Every
   municipality keeps its own share of each age group and its own pattern within the group; the national
   sums equal SSB's. The unconstrained result (steps 1–5 only) is kept for comparison. In the backtest the
   calibrated run uses SSB's vintage of the start year (2010, 2014, 2016), published from the same data.

County and country results are sums of the municipality projections, so levels always add up. Data gaps
are skipped, never filled: a transition (t, t+1) only counts for a municipality with data in both years
(2005 lacks 1160 Vindafjord and 1576 Aure), and pooled county and national ratios are sums over the
municipalities that have that transition. Deterministic; vectorised over municipalities × ages.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd
import pyarrow as pa

MAX_AGE = 105
N_AGES = MAX_AGE + 1
BACKTEST_WINDOWS = ((2010, 2020), (2014, 2024), (2016, 2026))
BACKTEST_GROUPS = (("total", 0, MAX_AGE), ("20-66", 20, 66), ("67-79", 67, 79), ("80-89", 80, 89), ("90+", 90, MAX_AGE),
                   ("80+", 80, MAX_AGE))


@dataclass(frozen=True)
class Params:
    """Tuning of :func:`project`. The defaults are the documented method."""
    base_years: int = 10           # one-year transitions in the CCR base window (the migration base period)
    birth_years: int = 5           # years in the child–adult ratio
    pool_age: int = 95             # ages >= pool_age are projected as one group
    shrink_k: float = 300.0        # person-years at risk; weight on local ratio w = D / (D + k), old ages
    shrink_k_young: float = 200.0  # the same below shrink_old_from (migration differs more between places)
    shrink_old_from: int = 50
    shrink_k_births: float = 2000.0  # same for the child–adult ratio (D = persons 20–44 × years)
    cap_young: float = 1.5         # upper cap on CCRs below age 65
    cap_old: float = 1.15          # upper cap on CCRs from age 65
    improve_from_age: int = 60     # mortality improvement applied from this age
    improve_bands: tuple = (60, 70, 80, 90)  # age bands (start ages) for the improvement rate
    trend_years: int = 15          # transitions used to estimate the improvement rate
    max_improvement: float = 0.03  # cap on the yearly improvement rate rho
    child_ages: tuple = (20, 44)   # adult ages in the child–adult ratio
    shrink: bool = True            # municipality -> county -> country shrinkage
    improve: bool = True           # mortality-improvement adjustment


BASELINE_PARAMS = Params(base_years=5, birth_years=5, pool_age=MAX_AGE, shrink=False, improve=False,
                         cap_young=np.inf, cap_old=np.inf)


METHOD_NOTE_NB = (
    "Framskrivingen per kommune er omsorgsatlasets egen beregning, avstemt mot SSBs nasjonale "
    "befolkningsframskriving 2026 (tabell 14746): for hvert år 2027–2040 og hver aldersgruppe i SSBs tabell "
    "summerer kommunene seg til SSBs tall for landet. Avstemmingen gjøres for hvert av SSBs tre alternativer "
    "(hovedalternativet MMMM, lav nasjonal vekst LLML og høy nasjonal vekst HHMH); hovedtallene bruker "
    "hovedalternativet, og lav–høy vises som et spenn. Hver kommune beholder sin andel av hver aldersgruppe og "
    "sin egen aldersfordeling innen gruppen (raking/iterativ proporsjonal tilpasning mot landets "
    "aldersgrupper). Kommunenes utvikling er beregnet med kohortendringsrater (Hamilton–Perry) per kommune og "
    "ettårig alder: antall personer med alder a+1 ett år delt på antall med alder a året før, som fanger opp både "
    "dødelighet og flytting. Ratene er glattet over de ti siste årsovergangene (2016–2026, sum over sum), ikke "
    "de fem siste, slik at innvandringstoppen 2022–2025 ikke videreføres som en trend. De eldste (95 år og over) "
    "framskrives som én gruppe. I små kommuner trekkes ratene mot fylkets (og fylkets mot landets) med vekt "
    "D/(D+k), der D er antall personår i risiko og k = 300 fra 50 år (200 under 50 år), og ratene har et tak "
    "(1,5 under 65 år, 1,15 fra 65 år). Fra 60 år justeres ratene for fallende dødelighet etter den nasjonale "
    "trenden de siste (inntil) 15 årene. Fødsler: antall 0-åringer per innbygger 20–44 år (begge kjønn, siden "
    "dataene ikke er fordelt på kjønn), snittet for de siste fem årene. Fylke og land er summen av kommunene. "
    "Metoden er testet ved å framskrive fra 2010, 2014 og 2016 med bare data fram til startåret (tabellen "
    "under). Usikkerheten er størst i små kommuner og for de yngste aldrene (fødsler og flytting). Den "
    "uavstemte framskrivingen (uten SSBs nasjonale tall) finnes som egen variant til sammenligning."
)
METHOD_NOTE_EN = (
    "The municipal projection is omsorgsatlas's own estimate, aligned with Statistics Norway's national "
    "population projection 2026 (table 14746): for every year 2027–2040 and every age group of SSB's table the "
    "municipalities add up to SSB's national figure. The alignment is done for each of SSB's three alternatives "
    "(main MMMM, low national growth LLML, high national growth HHMH); the headline figures use the main "
    "alternative and low–high is shown as a range. Each municipality keeps its share of each age group and its "
    "own age pattern within the group (raking / iterative proportional fitting to the national age groups). "
    "The municipalities' development is computed with cohort-change ratios (Hamilton–Perry) per municipality "
    "and single year of age: the number aged a+1 in one year divided by the number aged a the year before, "
    "which captures both mortality and migration. Ratios are smoothed over the last ten one-year transitions "
    "(2016–2026, ratio of sums), not five, so that the 2022–2025 immigration peak is not carried forward as a "
    "trend. The oldest (95 and over) are projected as one group. In small municipalities ratios are shrunk "
    "towards the county's (and the county's towards the country's) with weight D/(D+k), D being person-years "
    "at risk and k = 300 from age 50 (200 below 50), and ratios are capped (1.5 below age 65, 1.15 from 65). "
    "From age 60, ratios are adjusted for declining mortality following the national trend of the last (up "
    "to) 15 years. Births: 0-year-olds per resident aged 20–44 (both sexes, as the data have no sex "
    "dimension), averaged over the last five years. Counties and the country are sums of the municipalities. "
    "The method was tested by projecting from 2010, 2014 and 2016 using only data up to the start year (table "
    "below). Uncertainty is largest for small municipalities and for the youngest ages (births and "
    "migration). The unaligned projection (without SSB's national figures) is kept as a variant for comparison."
)


# --------------------------------------------------------------------------------------------------------
# data -> arrays

@dataclass
class _Input:
    codes: np.ndarray        # municipality codes, sorted
    county_idx: np.ndarray   # county index of each municipality
    counties: np.ndarray     # county codes, sorted
    years: np.ndarray        # consecutive years first..base
    P: np.ndarray            # (muni, year, age), NaN where a municipality-year is missing


def _prepare(pop: pd.DataFrame, regions: pd.DataFrame, base_year: int) -> _Input:
    reg = regions.loc[regions["level"] == "municipality", ["region_code", "county_code"]]
    reg = reg.sort_values("region_code")
    codes = reg["region_code"].to_numpy(dtype=object)
    counties, county_idx = np.unique(reg["county_code"].to_numpy(dtype=str), return_inverse=True)
    m = pop.loc[(pop["level"] == "municipality") & (pop["year"] <= base_year),
                ["region_code", "year", "age", "population"]]
    if m.empty:
        raise ValueError(f"no municipality population up to {base_year}")
    fi, uniq = pd.factorize(m["region_code"])
    ui = pd.Index(codes).get_indexer(pd.Index(uniq))
    if (ui < 0).any():
        raise ValueError(f"municipalities not in regions: {sorted(uniq[ui < 0])[:5]}")
    ri = ui[fi]
    age = m["age"].to_numpy(dtype=np.int64)
    if age.min() < 0 or age.max() > MAX_AGE:
        raise ValueError("ages must be 0..105")
    first = int(m["year"].min())
    years = np.arange(first, base_year + 1)
    yi = m["year"].to_numpy(dtype=np.int64) - first
    flat = (ri * len(years) + yi) * N_AGES + age
    if np.bincount(flat).max() > 1:
        raise ValueError("duplicate municipality/year/age rows")
    P = np.full((len(codes), len(years), N_AGES), np.nan)
    P[ri, yi, age] = m["population"].to_numpy(dtype=np.float64)
    present = ~np.isnan(P)
    partial = present.any(axis=2) & ~present.all(axis=2)
    if partial.any():
        i, j = np.argwhere(partial)[0]
        raise ValueError(f"municipality {codes[i]} has some but not all ages in {years[j]}")
    if not present[:, -1, 0].all():
        missing = codes[~present[:, -1, 0]]
        raise ValueError(f"base year {base_year} lacks municipalities {list(missing[:5])}")
    if (P[present] < 0).any():
        raise ValueError("negative population")
    return _Input(codes, county_idx, counties, years, P)


def _step_sums(P: np.ndarray, pool_age: int) -> tuple[np.ndarray, np.ndarray]:
    """Numerators and denominators of the step ratios for every transition (t, t+1).

    Step j < A-1 takes age j to j+1; step A-1 takes ages (A-1)+ to A+ (A = pool_age). Returns arrays of
    shape (..., transitions, A), NaN where either year is missing."""
    A = pool_age
    both = ~(np.isnan(P[..., :-1, :1]) | np.isnan(P[..., 1:, :1]))   # both years present
    now = np.where(both, P[..., :-1, :], np.nan)
    nxt = np.where(both, P[..., 1:, :], np.nan)
    num = np.concatenate([nxt[..., 1:A], nxt[..., A:].sum(axis=-1, keepdims=True)], axis=-1)
    den = np.concatenate([now[..., :A - 1], now[..., A - 1:].sum(axis=-1, keepdims=True)], axis=-1)
    return num, den


def _window_sum(x: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """Sum over transitions lo..hi-1 (axis -2), skipping missing."""
    return np.nansum(x[..., lo:hi, :], axis=-2)


def _by_county(x: np.ndarray, county_idx: np.ndarray, n_counties: int) -> np.ndarray:
    out = np.zeros((n_counties,) + x.shape[1:])
    np.add.at(out, county_idx, x)
    return out


def _ratio(num, den, fallback):
    return np.where(den > 0, num / np.where(den > 0, den, 1.0), fallback)


def _shrunk(num, den, county_idx, n_counties, k, shrink: bool):
    """Municipality ratios (muni, j), shrunk muni -> county -> country (or raw with fallbacks)."""
    cn, cd = _by_county(num, county_idx, n_counties), _by_county(den, county_idx, n_counties)
    nn, nd = num.sum(axis=0), den.sum(axis=0)
    nat = _ratio(nn, nd, 1.0)
    if shrink:
        cty = (cn + k * nat) / (cd + k)
        return (num + k * cty[county_idx]) / (den + k), nat
    cty = _ratio(cn, cd, nat)
    return _ratio(num, den, cty[county_idx]), nat


def _improvement_rates(num_nat: np.ndarray, den_nat: np.ndarray, t_lo: int, params: Params) -> np.ndarray:
    """Yearly mortality-improvement rate rho per step j (0 below improve_from_age), from the national series.

    num_nat, den_nat: (transitions, A). Log-linear regression of q = 1 - CCR on year, per age band with age
    fixed effects, weighted by deaths (D * q), over transitions t_lo.. (the trend window)."""
    A = num_nat.shape[-1]
    rho = np.zeros(A)
    if not params.improve:
        return rho
    n, d = num_nat[t_lo:], den_nat[t_lo:]
    if len(n) < 3:
        return rho
    with np.errstate(divide="ignore", invalid="ignore"):
        q = 1.0 - n / d
    ok = (d > 0) & (q > 0) & (q < 1)
    logq = np.log(np.where(ok, q, 1.0))
    w = np.where(ok, d * np.where(ok, q, 0.0), 0.0)
    t = np.arange(len(n), dtype=float)[:, None] * np.ones((1, A))
    wsum = w.sum(axis=0)
    safe = np.where(wsum > 0, wsum, 1.0)
    tc = t - (w * t).sum(axis=0) / safe          # centred within each age (fixed effects)
    yc = logq - (w * logq).sum(axis=0) / safe
    sxy, sxx = (w * tc * yc).sum(axis=0), (w * tc * tc).sum(axis=0)
    starts = [b for b in params.improve_bands if b < A] + [A]
    for lo, hi in zip(starts[:-1], starts[1:]):
        lo = max(lo, params.improve_from_age)
        if lo >= hi:
            continue
        sl = slice(lo, hi)
        if sxx[sl].sum() > 0:
            rho[sl] = np.clip(-sxy[sl].sum() / sxx[sl].sum(), 0.0, params.max_improvement)
    # the pooled top step gets its own rate (a band of one)
    if A - 1 >= params.improve_from_age and sxx[A - 1] > 0:
        rho[A - 1] = np.clip(-sxy[A - 1] / sxx[A - 1], 0.0, params.max_improvement)
    return rho


# --------------------------------------------------------------------------------------------------------
# projection

def _project_munis(inp: _Input, end_year: int, params: Params) -> np.ndarray:
    """(muni, step, age) projected populations for base+1..end."""
    A = int(params.pool_age)
    if not 2 <= A <= MAX_AGE:
        raise ValueError("pool_age must be within 2..105")
    P = inp.P
    nyears = len(inp.years)
    if nyears < 2:
        raise ValueError("need at least two years of history")
    ntr = nyears - 1
    nc = len(inp.counties)
    num, den = _step_sums(P, A)                            # (muni, transitions, A)
    k = max(1, min(params.base_years, ntr))
    lo = ntr - k
    N, D = _window_sum(num, lo, ntr), _window_sum(den, lo, ntr)
    k_age = np.where(np.arange(A) < params.shrink_old_from, params.shrink_k_young, params.shrink_k)
    S, S_nat = _shrunk(N, D, inp.county_idx, nc, k_age, params.shrink)
    cap = np.where(np.arange(A) < 65, params.cap_young, params.cap_old)
    S = np.minimum(S, cap)

    # national single-age ratios: the shape used to split the pooled group over ages A..105
    num1, den1 = _step_sums(P, MAX_AGE)                    # steps 0..104 (104 = 104+ -> 105)
    n1 = _window_sum(np.nansum(num1, axis=0), lo, ntr)
    d1 = _window_sum(np.nansum(den1, axis=0), lo, ntr)
    s1 = _ratio(n1, d1, 1.0)
    shape_s = np.concatenate([s1, s1[-1:]])                # ratio for ages 0..105 (105 ages with 104)

    # mortality improvement
    num_nat, den_nat = np.nansum(num, axis=0), np.nansum(den, axis=0)
    rho = _improvement_rates(num_nat, den_nat, max(0, ntr - params.trend_years), params)
    q_nat = 1.0 - S_nat
    use = (rho > 0) & (q_nat > 0) & (q_nat < 1)
    centre = (k + 1) / 2.0                                 # base-window centre, years before the base year

    # births: 0-year-olds per person aged 20-44 on the same date
    a0, a1 = params.child_ages
    kb = max(1, min(params.birth_years, nyears))
    B0 = np.nansum(P[:, nyears - kb:, 0], axis=1)[:, None]
    Bd = np.nansum(P[:, nyears - kb:, a0:a1 + 1].sum(axis=2), axis=1)[:, None]
    car, _ = _shrunk(B0, Bd, inp.county_idx, nc, params.shrink_k_births, params.shrink)
    car = car[:, 0]

    steps = end_year - int(inp.years[-1])
    out = np.empty((len(inp.codes), steps, N_AGES))
    cur = P[:, -1, :].copy()
    for h in range(1, steps + 1):
        tau = h - 1 + centre
        f = np.where(use, (1.0 - q_nat * np.exp(-rho * tau)) / np.where(use, 1.0 - q_nat, 1.0), 1.0)
        s = np.minimum(S * f, cap)
        nxt = np.empty_like(cur)
        nxt[:, 1:A] = cur[:, :A - 1] * s[:, :A - 1]
        total_top = cur[:, A - 1:].sum(axis=1) * s[:, A - 1]
        q = cur[:, A - 1:] * shape_s[A - 1:]               # ages A-1..105 aged one year (national shape)
        q = np.concatenate([q[:, :-2], q[:, -2:].sum(axis=1, keepdims=True)], axis=1)  # -> ages A..105
        qs = q.sum(axis=1, keepdims=True)
        nxt[:, A:] = np.where(qs > 0, q / np.where(qs > 0, qs, 1.0), 0.0) * total_top[:, None]
        nxt[:, 0] = car * nxt[:, a0:a1 + 1].sum(axis=1)
        out[:, h - 1, :] = nxt
        cur = nxt
    return out


def _str_column(labels: np.ndarray, per: int) -> pd.api.extensions.ExtensionArray:
    """Each label repeated ``per`` times as a pandas "str" column, built as an Arrow dictionary array (ten
    times faster than converting millions of Python strings)."""
    idx = pa.array(np.repeat(np.arange(len(labels), dtype=np.int32), per))
    return pd.array(pa.DictionaryArray.from_arrays(idx, pa.array([str(x) for x in labels])).cast(pa.large_string()),
                    dtype="str")


def _frame(inp: _Input, arr: np.ndarray, base_year: int) -> pd.DataFrame:
    """Municipality array (muni, step, age) -> long frame for all three levels, sorted like population."""
    nc = len(inp.counties)
    cty = _by_county(arr, inp.county_idx, nc)
    nat = arr.sum(axis=0, keepdims=True)
    steps = arr.shape[1]
    blocks = [("country", np.array(["NO"], dtype=object), nat),
              ("county", inp.counties.astype(object), cty),
              ("municipality", inp.codes, arr)]
    years = np.arange(base_year + 1, base_year + 1 + steps, dtype=np.int16)
    levels, codes, values = [], [], []
    for level, cs, a in blocks:
        levels.append(np.repeat(level, len(cs)))
        codes.append(cs)
        values.append(a.reshape(-1))
    per = steps * N_AGES
    levels, codes = np.concatenate(levels).astype(object), np.concatenate(codes).astype(object)
    n = len(codes)
    return pd.DataFrame({
        "level": _str_column(levels, per),
        "region_code": _str_column(codes, per),
        "year": np.tile(np.repeat(years, N_AGES), n),
        "age": np.tile(np.arange(N_AGES, dtype=np.int16), n * steps),
        "population": np.concatenate(values).astype(np.float64),
    })


def calibrate(arr: np.ndarray, base_year: int, targets: pd.DataFrame) -> np.ndarray:
    """Rake the municipality array (muni, step, age) to national age-group totals, year by year.

    targets: year, age_lo, age_hi, population (e.g. one alternative of SSB's national projection). For every
    projected year and every target group, all municipality × single-age cells of the group are multiplied
    by ``target / current national sum``. This is iterative proportional fitting with one margin (the
    national age-group totals), which converges in one pass: each municipality keeps its own share of each
    age group and its own single-age pattern within the group, and the national sums equal the targets
    exactly (to float rounding). A second margin (municipality totals from the unconstrained run) was not
    used: it would push back into the old ages, the best-projected part, the migration surplus taken out of
    the young. Raises ValueError when a projected year has no targets, the groups do not partition 0..105,
    or a group with a positive target is empty in the projection."""
    out = arr.copy()
    steps = arr.shape[1]
    for h in range(steps):
        year = base_year + 1 + h
        t = targets[targets["year"] == year]
        if t.empty:
            raise ValueError(f"no national totals for {year}")
        lo, hi = np.sort(t["age_lo"].to_numpy(int)), np.sort(t["age_hi"].to_numpy(int))
        if lo[0] != 0 or hi[-1] != MAX_AGE or not np.array_equal(lo[1:], hi[:-1] + 1):
            raise ValueError(f"the national age groups of {year} do not partition 0..105")
        for r in t.itertuples(index=False):
            cur = out[:, h, r.age_lo:r.age_hi + 1].sum()
            if cur <= 0:
                if r.population > 0:
                    raise ValueError(f"age group {r.age_lo}-{r.age_hi} is empty in {year}, target {r.population}")
                continue
            out[:, h, r.age_lo:r.age_hi + 1] *= float(r.population) / cur
    return out


def project_calibrated(pop: pd.DataFrame, regions: pd.DataFrame, base_year: int, end_year: int,
                       targets: pd.DataFrame, params: Params | None = None) -> pd.DataFrame:
    """:func:`project`, then :func:`calibrate` to ``targets`` (national totals per year and age group)."""
    params = params or Params()
    if end_year <= base_year:
        raise ValueError("end_year must be after base_year")
    inp = _prepare(pop, regions, base_year)
    return _frame(inp, calibrate(_project_munis(inp, end_year, params), base_year, targets), base_year)


def project(pop: pd.DataFrame, regions: pd.DataFrame, base_year: int, end_year: int,
            params: Params | None = None) -> pd.DataFrame:
    """Project municipality population from base_year to end_year (the method in the module docstring).

    pop: level, region_code, year, age, population (municipality rows are used, years <= base_year only).
    regions: region_code, level, county_code. Returns level, region_code, year (base_year+1..end_year), age,
    population (float64) for country, counties and municipalities; aggregates are sums of municipalities."""
    params = params or Params()
    if end_year <= base_year:
        raise ValueError("end_year must be after base_year")
    if params.shrink and (min(params.shrink_k, params.shrink_k_young, params.shrink_k_births) <= 0):
        raise ValueError("shrinkage needs k > 0")
    inp = _prepare(pop, regions, base_year)
    return _frame(inp, _project_munis(inp, end_year, params), base_year)


def baseline_project(pop: pd.DataFrame, regions: pd.DataFrame, base_year: int, end_year: int,
                     params: Params | None = None) -> pd.DataFrame:
    """Plain cohort-change ratios: each municipality's own ratios over the last five transitions (ratio of
    sums), 105+ as the only open group, no shrinkage, no cap, no mortality adjustment; births from the
    municipality's own child–adult ratio. Where a ratio is undefined (nobody at risk in five years) the
    county's (else the country's) is used. ``params`` is ignored: the baseline is fixed."""
    return project(pop, regions, base_year, end_year, BASELINE_PARAMS)


# --------------------------------------------------------------------------------------------------------
# backtest

def _group_sums(pop: pd.DataFrame, year: int, groups) -> pd.DataFrame:
    """(level, region_code) x group sums of ``year``: one filter by year, then one bincount per group."""
    p = pop.loc[pop["year"] == year, ["level", "region_code", "age", "population"]]
    keys = p["level"].astype(str) + "|" + p["region_code"].astype(str)
    ki, uniq = pd.factorize(keys)
    age, val = p["age"].to_numpy(), p["population"].to_numpy(float)
    cols = {name: np.bincount(ki, weights=np.where((age >= lo) & (age <= hi), val, 0.0), minlength=len(uniq))
            for name, lo, hi in groups}
    index = pd.MultiIndex.from_tuples([tuple(str(k).split("|", 1)) for k in uniq], names=["level", "region_code"])
    return pd.DataFrame(cols, index=index)


def backtest(pop: pd.DataFrame, regions: pd.DataFrame, windows=BACKTEST_WINDOWS,
             method: Callable = project, params: Params | None = None, groups=BACKTEST_GROUPS) -> dict:
    """Project from each window's start year using only data up to it; compare with the observed end year.

    Per age group: median and 90th-percentile absolute % error over municipalities (municipalities with
    nobody in the group in the end year are left out; their count is reported), and the national % error
    (signed: projected / observed - 1). Deterministic (no timings), so it can go into the build manifest."""
    out = {"method": getattr(method, "__name__", str(method)), "windows": {}}
    for start, end in windows:
        hist = pop.loc[pop["year"] <= start]
        proj = method(hist, regions, start, end, params) if params is not None else method(hist, regions, start, end)
        est = _group_sums(proj, end, groups)
        obs = _group_sums(pop, end, groups)
        res = {}
        for name, _, _ in groups:
            m = pd.concat([est.loc["municipality", name].rename("est"),
                           obs.loc["municipality", name].rename("obs")], axis=1, join="inner")
            m = m[m["obs"] > 0]
            ape = (100 * (m["est"] - m["obs"]).abs() / m["obs"]).to_numpy()
            nat_e, nat_o = float(est.loc[("country", "NO"), name]), float(obs.loc[("country", "NO"), name])
            res[name] = {
                "median_ape": round(float(np.median(ape)), 2),
                "p90_ape": round(float(np.percentile(ape, 90)), 2),
                "national_pe": round(100 * (nat_e / nat_o - 1), 2),
                "national_projected": round(nat_e, 1),
                "national_observed": round(nat_o, 1),
                "n_municipalities": int(len(ape)),
            }
        out["windows"][f"{start}-{end}"] = {"base_year": int(start), "target_year": int(end),
                                           "horizon": int(end - start), "groups": res}
    return out


def format_backtest(ours: dict, *others: tuple[str, dict]) -> str:
    """Plain-text table: our method next to the others (name, backtest result), per window and age group:
    median and 90th-percentile absolute % error over municipalities and the national signed % error."""
    others = others or ()
    if others and isinstance(others[0], dict):  # old call: format_backtest(ours, baseline)
        others = (("base", others[0]),)
    names = [n for n, _ in others]
    head = f"{'window':<10} {'group':<6} |"
    for what in ("median APE %", "p90 APE %", "national %"):
        head += f" {what:>12}" + "".join(f" {n[:8]:>8}" for n in names) + " |"
    lines = [head, "-" * len(head)]
    for key, w in ours["windows"].items():
        for g, r in w["groups"].items():
            rs = [o["windows"][key]["groups"][g] for _, o in others]
            line = f"{key:<10} {g:<6} |"
            for field, sign in (("median_ape", ""), ("p90_ape", ""), ("national_pe", "+")):
                line += f" {r[field]:>{sign}12.2f}" + "".join(f" {x[field]:>{sign}8.2f}" for x in rs) + " |"
            lines.append(line)
    return "\n".join(lines)


__all__ = ["Params", "BASELINE_PARAMS", "project", "project_calibrated", "calibrate", "baseline_project", "backtest", "format_backtest",
           "METHOD_NOTE_NB", "METHOD_NOTE_EN", "BACKTEST_WINDOWS", "BACKTEST_GROUPS"]
