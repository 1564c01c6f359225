"""The core: lifecycle, mounts, routing and the request pipeline."""

from strongroom.core.core import Catalog, Core, CoreOptions, InitResult
from strongroom.core.pipeline import handle
from strongroom.logical.mounts import MountEntry

__all__ = ["Catalog", "Core", "CoreOptions", "InitResult", "MountEntry", "handle"]
