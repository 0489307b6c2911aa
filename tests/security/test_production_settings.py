"""Production settings: no debug unless asked for, no secrets in the repository, every dependency pinned."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

SECRET_PATTERNS = {
    "private key": re.compile(r"-----BEGIN (?:RSA |EC |OPENSSH |DSA )?PRIVATE KEY-----"),
    "AWS access key": re.compile(r"\bAKIA[0-9A-Z]{16}\b"),
    "GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b"),
    "Slack token": re.compile(r"\bxox[abpors]-[A-Za-z0-9-]{10,}"),
    "password/secret assignment": re.compile(
        r"""(?i)\b(?:password|passwd|secret_key|api_key|apikey|auth_token)\s*[:=]\s*['"][^'"\s]{8,}['"]"""),
    "credentials in a URL": re.compile(r"\b(?:redis|postgres(?:ql)?|mysql|https?)://[^/\s:@'\"]+:[^/\s@'\"]+@"),
}


def _tracked_text_files() -> list[Path]:
    out = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    files = []
    for name in out.splitlines():
        path = REPO / name
        if path.suffix in {".parquet", ".png", ".ico", ".xlsx"} or not path.is_file():
            continue
        if path.stat().st_size > 2_000_000:
            continue
        files.append(path)
    return files


def test_no_secrets_in_tracked_files():
    hits = []
    for path in _tracked_text_files():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for what, pattern in SECRET_PATTERNS.items():
            for m in pattern.finditer(text):
                if path.name == "test_production_settings.py":  # the patterns themselves
                    continue
                hits.append(f"{path.relative_to(REPO)}: {what}: {m.group(0)[:40]}")
    assert not hits, "possible secrets in the repository:\n" + "\n".join(hits)


def test_every_requirement_is_pinned():
    for req in ("requirements.txt", "requirements-dev.txt"):
        for line in (REPO / req).read_text().splitlines():
            line = line.split("#", 1)[0].strip()
            if not line or line.startswith("-r "):
                continue
            assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[0-9][A-Za-z0-9_.+\-]*", line), f"{req}: not pinned: {line}"


def test_debug_is_off_unless_asked_for():
    code = ("import app; print('DEBUG', app.DEBUG, app.app.server.debug, "
            "bool(app.app.config.get('suppress_callback_exceptions')))")
    env_off = {k: v for k, v in __import__("os").environ.items() if k != "OMSORGSATLAS_DEBUG"}
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env_off, capture_output=True, text=True,
                         timeout=180)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "DEBUG False False" in out.stdout
    # the production entry points never turn debug on
    assert "--reload" not in (REPO / "Procfile").read_text() and "debug" not in (REPO / "Procfile").read_text()
    conf = (REPO / "gunicorn.conf.py").read_text()
    settings = {}
    exec(compile(conf, "gunicorn.conf.py", "exec"), settings)  # the settings gunicorn reads from it
    assert not settings.get("reload") and "--reload" not in conf and "debug" not in conf.lower()
    assert not any(k.startswith("reload") for k in settings if settings[k])
