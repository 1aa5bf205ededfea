"""``--download-modules``: remote module sources fetched as ``terraform init`` would fetch them,
never running anything, into a cache directory the scan then reads like ``.terraform/modules``.

``ModuleDownloader.fetch`` takes a module block's ``source`` and ``version`` and gives the
module's directory, or one sentence saying why it cannot (the caller makes it the input error at
the module block). See ``docs/modules.md``.
"""

from cmkguard.sources.terraform.module_download.fetch import Downloaded, ModuleDownloader

__all__ = ["Downloaded", "ModuleDownloader"]
