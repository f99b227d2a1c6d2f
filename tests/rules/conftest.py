"""Results of the fixture plans, computed once per session through the Python API."""
import pytest

from pullguard.api import check_plan
from pullguard.config import Settings

@pytest.fixture(scope="session")
def images(plans):
    """First plan, every value known: one task definition per group of cases."""
    return check_plan(str(plans.first("images")))


@pytest.fixture(scope="session")
def images_declared(plans):
    """The same plan with ghcr.io/declared/* declared public in the config."""
    return check_plan(str(plans.first("images")), Settings(public_images=("ghcr.io/declared/*",)))


@pytest.fixture(scope="session")
def unknowns(plans):
    """First plan where container definitions or the execution role are unknown."""
    return check_plan(str(plans.first("unknowns")))


@pytest.fixture(scope="session")
def unknowns_applied(plans):
    """The same configuration planned again after apply: everything known."""
    return check_plan(str(plans.second("unknowns")))


@pytest.fixture(scope="session")
def modules_count(plans):
    return check_plan(str(plans.first("modules_count")))
