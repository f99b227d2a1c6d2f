# One platform stack, images written the ways teams really write them:
#  - Docker Hub through its alternative host names (docker.io/library/..., registry-1.docker.io),
#    the ECR Public mirror of Docker official images and its dual-stack host ecr-public.aws.com;
#  - the account's own ECR through the dual-stack host (<acct>.dkr-ecr.<region>.on.aws), the FIPS
#    host (<acct>.dkr.ecr-fips.<region>.amazonaws.com) and a pull-through cache prefix
#    (<acct>.dkr.ecr.<region>.amazonaws.com/docker-hub/library/nginx);
#  - a self-hosted Harbor on port 5000 with a robot account, pinned by tag + digest, and one
#    image there that someone left without a tag;
#  - a private Docker Hub repository written with index.docker.io and no credentials;
#  - an old task definition that still carries its Artifactory credentials after its image moved
#    to ECR (dual-stack host);
#  - a new ECR repository whose URL and a release tag variable make the image of a new service.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

variable "web_tag" {
  type    = string
  default = "1.4.0"
}

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  account = data.aws_caller_identity.current.account_id
  region  = data.aws_region.current.name
  registries = {
    ecr       = "${local.account}.dkr.ecr.${local.region}.amazonaws.com"
    ecr_fips  = "${local.account}.dkr.ecr-fips.${local.region}.amazonaws.com"
    ecr_ipv6  = "${local.account}.dkr-ecr.${local.region}.on.aws"
    harbor    = "registry.acme.io:5000"
  }
  toolbox_digest = "sha256:3f1c9e2b7a4d8f6051e2c3b4a5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8"
}

resource "aws_ecr_repository" "web" {
  name                 = "storefront/web"
  image_tag_mutability = "IMMUTABLE"
}

resource "aws_secretsmanager_secret" "harbor" {
  name = "platform/harbor-robot"
}

resource "aws_secretsmanager_secret_version" "harbor" {
  secret_id     = aws_secretsmanager_secret.harbor.id
  secret_string = jsonencode({ username = "robot$platform+deploy", password = "fake-harbor-robot-token" })
}

resource "aws_secretsmanager_secret" "dockerhub" {
  name = "platform/dockerhub"
}

resource "aws_secretsmanager_secret_version" "dockerhub" {
  secret_id     = aws_secretsmanager_secret.dockerhub.id
  secret_string = jsonencode({ username = "acmeplatform", password = "dckr_pat_FAKEFAKEFAKEFAKE" })
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
  name               = "platform-execution"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

data "aws_iam_policy_document" "pull_extras" {
  statement {
    sid       = "RegistryLogins"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.harbor.arn, aws_secretsmanager_secret.dockerhub.arn]
  }
  # The first pull through the cache creates the repository and imports the upstream image.
  statement {
    sid       = "PullThroughCache"
    actions   = ["ecr:CreateRepository", "ecr:BatchImportUpstreamImage"]
    resources = ["arn:aws:ecr:${local.region}:${local.account}:repository/docker-hub/*"]
  }
}

resource "aws_iam_role_policy" "pull_extras" {
  name   = "pull-extras"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.pull_extras.json
}

locals {
  task_definitions = {
    edge = [
      { name = "proxy", image = "docker.io/library/nginx:1.27.3" },
      { name = "cache", image = "registry-1.docker.io/library/redis:7.4" },
      { name = "lb", image = "public.ecr.aws/docker/library/haproxy:3.0" },
      { name = "probe", image = "ecr-public.aws.com/docker/library/busybox:1.37" },
    ]
    orders = [
      { name = "api", image = "${local.registries.ecr_ipv6}/orders/api:2.4.1" },
      { name = "worker", image = "${local.registries.ecr_fips}/orders/worker:2.4.1" },
      { name = "nginx", image = "${local.registries.ecr}/docker-hub/library/nginx:1.27" },
    ]
    tools = [
      { name = "toolbox", image = "${local.registries.harbor}/platform/toolbox:1.2@${local.toolbox_digest}", credentials = aws_secretsmanager_secret.harbor.arn },
      { name = "agent", image = "${local.registries.harbor}/platform/agent", credentials = aws_secretsmanager_secret.harbor.arn },
      { name = "billing-sync", image = "index.docker.io/acme/billing-sync:3.1.0" },
      { name = "reporter", image = "docker.io/acme/reporter:2.0.0", credentials = aws_secretsmanager_secret.dockerhub.arn },
    ]
    legacy = [
      { name = "legacy", image = "${local.registries.ecr_ipv6}/orders/legacy:0.9.3", credentials = aws_secretsmanager_secret.harbor.arn },
    ]
    web = [
      { name = "web", image = "${aws_ecr_repository.web.repository_url}:${var.web_tag}" },
    ]
  }
}

resource "aws_ecs_task_definition" "this" {
  for_each                 = local.task_definitions
  family                   = "platform-${each.key}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "512"
  memory                   = "1024"
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([for c in each.value : merge(
    { name = c.name, image = c.image, essential = c.name == each.value[0].name },
    try({ repositoryCredentials = { credentialsParameter = c.credentials } }, {}),
  )])
  depends_on = [aws_iam_role_policy_attachment.execution, aws_iam_role_policy.pull_extras]
}
