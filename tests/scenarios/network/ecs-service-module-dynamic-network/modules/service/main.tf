# An ECS service module written the way terraform-aws-modules/ecs//modules/service writes its
# service: a flattened network configuration in a local, `dynamic "network_configuration"` and
# `dynamic "capacity_provider_strategy"` blocks, launch_type left null when a capacity provider
# strategy is given, a security group of its own with egress rules from a map, and the task
# execution role, log group and task definition next to the service.
variable "name" {
  type = string
}

variable "cluster_arn" {
  type = string
}

variable "image" {
  type = string
}

variable "container_port" {
  type    = number
  default = 8080
}

variable "desired_count" {
  type    = number
  default = 1
}

variable "network_mode" {
  type    = string
  default = "awsvpc"
}

variable "launch_type" {
  type    = string
  default = "FARGATE"
}

variable "capacity_provider_strategy" {
  type = map(object({
    base              = optional(number)
    capacity_provider = string
    weight            = optional(number)
  }))
  default = null
}

variable "vpc_id" {
  type = string
}

variable "subnet_ids" {
  type = list(string)
}

variable "assign_public_ip" {
  type    = bool
  default = false
}

variable "security_group_ids" {
  type    = list(string)
  default = []
}

variable "security_group_egress_rules" {
  type = map(object({
    ip_protocol = optional(string, "tcp")
    from_port   = optional(number)
    to_port     = optional(number)
    cidr_ipv4   = optional(string)
  }))
  default = {
    all = { ip_protocol = "-1", cidr_ipv4 = "0.0.0.0/0" }
  }
}

data "aws_region" "current" {}

locals {
  network_configuration = {
    assign_public_ip = var.assign_public_ip
    security_groups  = flatten(concat([aws_security_group.this.id], var.security_group_ids))
    subnets          = var.subnet_ids
  }
}

resource "aws_security_group" "this" {
  name_prefix = "${var.name}-"
  description = "ECS service ${var.name}"
  vpc_id      = var.vpc_id
}

resource "aws_vpc_security_group_egress_rule" "this" {
  for_each          = var.security_group_egress_rules
  security_group_id = aws_security_group.this.id
  ip_protocol       = each.value.ip_protocol
  from_port         = each.value.from_port
  to_port           = each.value.to_port
  cidr_ipv4         = each.value.cidr_ipv4
}

data "aws_iam_policy_document" "task_exec_assume" {
  statement {
    sid     = "ECSTaskExecutionAssumeRole"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "task_exec" {
  name_prefix        = "${var.name}-exec-"
  assume_role_policy = data.aws_iam_policy_document.task_exec_assume.json
}

resource "aws_iam_role_policy_attachment" "task_exec" {
  role       = aws_iam_role.task_exec.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/ecs/${var.name}"
  retention_in_days = 14
}

resource "aws_ecs_task_definition" "this" {
  family                   = var.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = var.network_mode
  cpu                      = 256
  memory                   = 512
  execution_role_arn       = aws_iam_role.task_exec.arn
  container_definitions = jsonencode([{
    name         = var.name
    image        = var.image
    essential    = true
    portMappings = [{ containerPort = var.container_port, protocol = "tcp" }]
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.this.name
        awslogs-region        = data.aws_region.current.name
        awslogs-stream-prefix = "ecs"
      }
    }
  }])
  depends_on = [aws_iam_role_policy_attachment.task_exec]
}

resource "aws_ecs_service" "this" {
  count = 1

  name            = var.name
  cluster         = var.cluster_arn
  task_definition = aws_ecs_task_definition.this.arn
  desired_count   = var.desired_count
  launch_type     = var.capacity_provider_strategy != null ? null : var.launch_type

  dynamic "capacity_provider_strategy" {
    for_each = var.capacity_provider_strategy != null ? var.capacity_provider_strategy : {}
    content {
      base              = capacity_provider_strategy.value.base
      capacity_provider = capacity_provider_strategy.value.capacity_provider
      weight            = coalesce(capacity_provider_strategy.value.weight, 1)
    }
  }

  dynamic "network_configuration" {
    for_each = var.network_mode == "awsvpc" ? [local.network_configuration] : []
    content {
      assign_public_ip = network_configuration.value.assign_public_ip
      security_groups  = network_configuration.value.security_groups
      subnets          = network_configuration.value.subnets
    }
  }

  depends_on = [aws_vpc_security_group_egress_rule.this]

  lifecycle {
    ignore_changes = [desired_count]
  }
}

output "id" {
  value = aws_ecs_service.this[0].id
}
