# The build platform keeps one registry login per registry, made by a module instance per registry
# (for_each), the tokens coming from a sensitive map variable set by the pipeline. Services are
# module instances too, each given the login of its registry.
#  - quay: the pipeline never set its token, so the variable's default "" went into the secret;
#  - ledger's Harbor login was pasted as the ~/.docker/config.json of a `docker login` ({"auths":
#    {...}}), which has no username/password fields;
#  - fx's Artifactory login was written with capitalised keys {"Username", "Password"}: the ECS
#    agent decodes the value into a Go struct with fields Username/Password and no JSON tags, and
#    Go's encoding/json matches keys case-insensitively, so it works;
#  - ghcr's login carries extra keys (registry, email): ignored by the agent;
#  - builds is given its login by bare name, in the task's own region and account.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

variable "registry_tokens" {
  description = "Registry tokens by registry, from the CI/CD variables"
  type        = map(string)
  sensitive   = true
  default = {
    ghcr   = "ghp_FAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKE0000"
    gitlab = "glpat-FAKEFAKEFAKEFAKEFAKE"
    quay   = ""
  }
}

data "aws_caller_identity" "current" {}

locals {
  registries = {
    ghcr   = { username = "acme-build-bot", extra = { registry = "ghcr.io", email = "build-bot@acme.example" } }
    gitlab = { username = "gitlab+deploy-token-7", extra = {} }
    quay   = { username = "acme+deployer", extra = {} }
  }
}

module "registry_login" {
  source   = "./modules/registry-login"
  for_each = local.registries
  name     = "build/${each.key}-login"
  username = each.value.username
  password = var.registry_tokens[each.key]
  extra    = each.value.extra
}

resource "aws_secretsmanager_secret" "harbor" {
  name = "build/harbor-login"
}

resource "aws_secretsmanager_secret_version" "harbor" {
  secret_id = aws_secretsmanager_secret.harbor.id
  secret_string = jsonencode({
    auths = { "harbor.acme.io" = { auth = base64encode("robot$ledger:FAKEHARBORTOKEN") } }
  })
}

resource "aws_secretsmanager_secret" "artifactory" {
  name = "build/artifactory-login"
}

resource "aws_secretsmanager_secret_version" "artifactory" {
  secret_id     = aws_secretsmanager_secret.artifactory.id
  secret_string = jsonencode({ Username = "svc-fx", Password = "FAKEARTIFACTORYAPIKEY" })
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "execution" {
  name               = "build-execution"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

data "aws_iam_policy_document" "logins" {
  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["arn:aws:secretsmanager:us-east-1:${data.aws_caller_identity.current.account_id}:secret:build/*"]
  }
}

resource "aws_iam_role_policy" "logins" {
  name   = "registry-logins"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.logins.json
}

locals {
  services = {
    catalog = { image = "ghcr.io/acme/catalog:4.2.0", login = module.registry_login["ghcr"].arn }
    search  = { image = "quay.io/acme/search:1.9.3", login = module.registry_login["quay"].arn }
    builds  = { image = "registry.gitlab.com/acme/builds:0.8.0", login = module.registry_login["gitlab"].name }
    ledger  = { image = "harbor.acme.io/ledger/api:3.3.1", login = aws_secretsmanager_secret.harbor.arn }
    fx      = { image = "acme.jfrog.io/docker-local/fx:2.0.1", login = aws_secretsmanager_secret.artifactory.arn }
  }
}

module "service" {
  source             = "./modules/service"
  for_each           = local.services
  name               = each.key
  image              = each.value.image
  registry_login     = each.value.login
  execution_role_arn = aws_iam_role.execution.arn
  depends_on         = [aws_iam_role_policy.logins]
}
