"""HTML audit report, as text: self-contained, CSP by hash, every scanned string escaped.

The browser test (tests/test_html_browser.py) checks what a person sees."""

from __future__ import annotations

import base64
import hashlib
import re

from report_fixtures import live_finding, one_of_each, source_finding
from report_render import FIXED_TIME, HOSTILE, rendered

from cmkguard.catalogue.mappings import FRAMEWORK_LABEL
from cmkguard.errors import InputError
from cmkguard.findings import ScanResult, Status
from cmkguard.report import OutputFormat, RenderOptions


def _html(result: ScanResult, options: RenderOptions | None = None) -> str:
    return rendered(result, OutputFormat.HTML, options)


def _hash(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


def test_csp_allows_exactly_the_inline_script_and_style() -> None:
    page = _html(ScanResult(one_of_each()))
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp is not None
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    styles = re.findall(r"<style>(.*?)</style>", page, re.S)
    assert len(scripts) == 1
    assert len(styles) == 1
    assert csp.group(1) == (
        f"default-src 'none'; script-src '{_hash(scripts[0])}'; style-src '{_hash(styles[0])}'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )


def test_self_contained() -> None:
    page = _html(ScanResult(one_of_each()))
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "@import" not in page
    assert " style=" not in page  # inline style attributes would need 'unsafe-inline'


def test_hostile_strings_are_escaped_everywhere() -> None:
    result = ScanResult(
        (source_finding(address=HOSTILE, message=HOSTILE, file=HOSTILE),),
        (InputError(HOSTILE, 1, HOSTILE),),
        (HOSTILE,),
    )
    page = _html(result)
    assert page.count("<script>") == 1  # the report's own
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "\x1b" not in page
    assert "\u202e" not in page


def test_facts_counts_control_and_frameworks() -> None:
    result = ScanResult((*one_of_each(), live_finding(Status.FAIL)), inputs=("infra",))
    options = RenderOptions(evidence_digest="ab" * 32)
    page = _html(result, options)
    assert f'<time datetime="{FIXED_TIME.isoformat()}">' in page
    assert "<code>infra</code>" in page
    assert '<strong id="count-total">4</strong>' in page
    assert '<strong id="count-fail">2</strong>' in page
    assert f"<code>{'ab' * 32}</code>" in page
    assert "sagemaker_notebook_instance_encrypted_with_kms_cmk" in page
    assert f"Framework references ({FRAMEWORK_LABEL})" in page
    assert "SC-28(1)" in page
    assert "account and region (live), root module (Terraform source)" in page


def test_no_notebooks() -> None:
    page = _html(ScanResult())
    assert "No notebooks were found." in page
    assert '<strong id="count-total">0</strong>' in page
