"""PG106: the image's ECR repository is created by this same plan, so it is empty when the task first
starts (``CannotPullContainerError ... not found``).

The repository is matched by its ``repository_url`` when known, else by name, region and account.
When the container definitions are known only after apply, a ``repository_url`` of a repository
this plan creates that they reference directly is enough. Something in the plan that references the
repository and may push to it (``terraform_data``/``null_resource`` with a provisioner,
``docker_registry_image``...) makes the outcome undecided: pullguard cannot tell what it pushes.
"""
import re

from ...evaluate.image import InvalidImage, parse_image
from ...evaluate.secret_access import instance_account
from ...model.ecs import task_definitions
from ...values import Hole, Partial, Ref, Unknown
from ..base import Rule, Severity, fail, passed, undecided
from ..common import SOURCE_HINT, known_image

REPO = "aws_ecr_repository"
# a reference to a repository's URL, with the instance key when there is one: aws_ecr_repository.this["api"].repository_url
URL_REF = re.compile(r'^aws_ecr_repository\.([A-Za-z_][A-Za-z0-9_-]*)(\[[^\]]*\])?\.repository_url$')
PUSHERS = ("terraform_data", "null_resource", "docker_registry_image", "docker_image", "aws_codebuild_project",
           "local_file")
FIX = ("Push the image before the service starts: build and push in the pipeline step that applies the "
       "repository (a separate apply, or `-target` the repository first), or keep the repository in a "
       "configuration applied before this one; then pin the image tag or digest you pushed.")


def _fresh(snapshot) -> dict:
    """{module: {resource name: [repository instances this plan creates or replaces]}}."""
    index = snapshot.cache.get("pg106.fresh")
    if index is None:
        index = {}
        if snapshot.name != "prior":  # in the prior snapshot nothing is being created
            for inst in snapshot.of_type(REPO):
                if inst.action in ("create", "replace"):
                    index.setdefault(inst.module, {}).setdefault(inst.name, []).append(inst)
        snapshot.cache["pg106.fresh"] = index
    return index


def _pushers(snapshot, repo) -> list:
    """Resources of the same module that reference the repository and may push to it."""
    config = snapshot.config
    if config is None:
        return []
    out = []
    for inst in snapshot.of_type(*PUSHERS):
        if inst.module != repo.module:
            continue
        refs = config.all_references(inst.module, inst.mode, inst.type, inst.name)
        if any(r == f"{REPO}.{repo.name}" or r.startswith((f"{REPO}.{repo.name}.", f"{REPO}.{repo.name}["))
               for r in refs):
            out.append(inst.address)
    return out


def _matches(snapshot, ref, repo):
    """True / False / None (not known) — is this repository the one the image names?"""
    url = repo.get("repository_url")
    if isinstance(url, str):  # the IPv4 host; the image may name the FIPS or dual-stack host of the same registry
        try:
            known = parse_image(url)
        except InvalidImage:
            return url == f"{ref.domain}/{ref.path}"
        return known.ecr == ref.ecr and known.path == ref.path if known.ecr else url == f"{ref.domain}/{ref.path}"
    if repo.get("name") != ref.path or repo.region is None:
        return False if isinstance(repo.get("name"), str) else None
    if repo.region != ref.ecr[1]:
        return False
    acct = instance_account(snapshot, repo)
    return None if acct is None else acct == ref.ecr[0]


def _verdict(td, container, repo, pushers, how):
    if pushers:
        return undecided(td.address, f"whether {', '.join(pushers)} pushes the image into {repo.address} before "
                         "the first task starts", f"{how} `{repo.address}`, which this plan creates; "
                         f"{', '.join(pushers)} may push the image", container=container,
                         evidence=(td.address, repo.address, *pushers))
    return fail(td.address, f"{how} `{repo.address}`, which this plan creates: the repository is empty when the "
                "first task starts, so the pull fails (`not found`) until an image is pushed", FIX, container,
                (td.address, repo.address))


def _container(snapshot, td, c):
    ref, out = known_image(td, c, "the image's repository")
    if ref is None:
        repo = _image_from_fresh_url(snapshot, td, c) if out is not None else None
        if repo is not None:
            return _verdict(td, c.name, repo, _pushers(snapshot, repo),
                            f"container `{c.name}`: image `{c.image}` is in ECR repository")
        return out
    if not ref.ecr:
        return passed(td.address, c.name)
    unknown = []
    for names in _fresh(snapshot).values():
        for repos in names.values():
            for repo in repos:
                hit = _matches(snapshot, ref, repo)
                if hit:
                    return _verdict(td, c.name, repo, _pushers(snapshot, repo),
                                    f"container `{c.name}`: image `{ref.raw}` is in ECR repository")
                if hit is None:
                    unknown.append(repo.address)
    if unknown:
        return undecided(td.address, f"the name, region or account of {', '.join(unknown)} (known after apply)",
                         f"whether image `{ref.raw}` of container `{c.name}` is in a repository this plan creates "
                         "is not known", container=c.name)
    return passed(td.address, c.name)


def _repo_of_url(snapshot, td, reference):
    """The repository this plan creates whose ``repository_url`` the reference text names, if exactly one:
    by its full address (``module.registry.aws_ecr_repository.this["api"].repository_url``, a repository
    of another module reached through outputs and variables), else in the task definition's module."""
    if isinstance(reference, str) and reference.endswith(".repository_url"):
        whole = reference[: -len(".repository_url")]
        hit = next((r for r in _fresh_list(snapshot) if r.address == whole), None)
        if hit is not None:
            return hit
    m = URL_REF.match(reference) if isinstance(reference, str) else None
    if m is None:
        return None
    inst = td.instance
    name, key = m.groups()
    repos = _fresh(snapshot).get(inst.module, {}).get(name, [])
    if key is not None:  # one instance of a count/for_each repository
        prefix = f"{inst.module}." if inst.module else ""
        repos = [x for x in repos if x.address == f"{prefix}{REPO}.{name}{key}"]
    return repos[0] if len(repos) == 1 else None


def _image_from_fresh_url(snapshot, td, c):
    """The image, known only after apply, starts with the URL of a repository this plan creates
    (``"${aws_ecr_repository.app.repository_url}:1.0"``, read from the source)."""
    img = c.image
    if isinstance(img, Ref) and img.attribute == "repository_url":
        inst = snapshot.get(img.address)
        fresh = {r.address for r in _fresh_list(snapshot)}
        return inst if inst is not None and inst.address in fresh else None
    if isinstance(img, Partial) and img.parts and isinstance(img.parts[0], Hole):
        return _repo_of_url(snapshot, td, img.parts[0].fact)
    return None


def _fresh_list(snapshot) -> list:
    return [r for names in _fresh(snapshot).values() for repos in names.values() for r in repos]


def _unknown_containers(snapshot, td):
    inst = td.instance
    if snapshot.config is not None and _fresh(snapshot).get(inst.module):
        expr = snapshot.config.expression(inst.module, inst.mode, inst.type, inst.name, "container_definitions")
        for r in (expr or {}).get("references") or ():
            repo = _repo_of_url(snapshot, td, r)
            if repo is not None:
                return _verdict(td, None, repo, _pushers(snapshot, repo),
                                f"`{td.address}` takes its image from the `repository_url` of")
    return undecided(td.address, td.containers.fact,
                     f"the container definitions of `{td.address}` are known only after apply; {SOURCE_HINT}")


def check(snapshot, settings):
    for td in task_definitions(snapshot):
        if isinstance(td.containers, Unknown):
            yield _unknown_containers(snapshot, td)
            continue
        for c in td.containers:
            out = _container(snapshot, td, c)
            if out is not None:
                yield out


RULE = Rule("PG106", "ECR repository created by the same plan", Severity.WARNING, check)
