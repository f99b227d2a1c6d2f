data "aws_region" "current" {}

locals {
  log_group_name = coalesce(var.log_group_name, "/ecs/${var.family}")
  uses_awslogs = anytrue([for c in var.containers :
    c.log_configuration == null ? var.enable_awslogs : c.log_configuration.log_driver == "awslogs"
  ])

  # Container definitions as the ECS agent receives them: camelCase keys, no null fields.
  container_definitions = [for c in var.containers : merge(
    {
      name        = c.name
      image       = c.image
      essential   = c.essential
      environment = [for k, v in c.environment : { name = k, value = v }]
      secrets     = [for k, v in c.secrets : { name = k, valueFrom = v }]
      portMappings = [for p in c.port_mappings : merge(
        { containerPort = p.container_port, protocol = p.protocol },
        { hostPort = var.network_mode == "awsvpc" ? p.container_port : coalesce(p.host_port, 0) },
        p.name == null ? {} : { name = p.name },
        p.app_protocol == null ? {} : { appProtocol = p.app_protocol },
      )]
    },
    c.cpu == null ? {} : { cpu = c.cpu },
    c.memory == null ? {} : { memory = c.memory },
    c.memory_reservation == null ? {} : { memoryReservation = c.memory_reservation },
    c.command == null ? {} : { command = c.command },
    c.entry_point == null ? {} : { entryPoint = c.entry_point },
    c.working_directory == null ? {} : { workingDirectory = c.working_directory },
    c.user == null ? {} : { user = c.user },
    c.readonly_root_filesystem == null ? {} : { readonlyRootFilesystem = c.readonly_root_filesystem },
    c.registry_credentials_secret_arn == null ? {} : {
      repositoryCredentials = { credentialsParameter = c.registry_credentials_secret_arn }
    },
    c.health_check == null ? {} : {
      healthCheck = {
        command     = c.health_check.command
        interval    = c.health_check.interval
        timeout     = c.health_check.timeout
        retries     = c.health_check.retries
        startPeriod = c.health_check.start_period
      }
    },
    c.log_configuration != null ? {
      logConfiguration = merge(
        { logDriver = c.log_configuration.log_driver, options = c.log_configuration.options },
        length(c.log_configuration.secret_options) == 0 ? {} : {
          secretOptions = [for k, v in c.log_configuration.secret_options : { name = k, valueFrom = v }]
        },
      )
      } : var.enable_awslogs ? {
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = local.log_group_name
          awslogs-region        = data.aws_region.current.name
          awslogs-stream-prefix = var.log_stream_prefix
        }
      }
    } : {},
  )]
}

resource "aws_cloudwatch_log_group" "this" {
  count = var.enable_awslogs && var.create_log_group ? 1 : 0

  name              = local.log_group_name
  retention_in_days = var.log_retention_in_days
  kms_key_id        = var.log_kms_key_arn
  tags              = var.tags
}

resource "aws_ecs_task_definition" "this" {
  family                   = var.family
  requires_compatibilities = var.requires_compatibilities
  network_mode             = var.network_mode
  cpu                      = tostring(var.cpu)
  memory                   = tostring(var.memory)
  execution_role_arn       = var.execution_role_arn
  task_role_arn            = var.task_role_arn
  container_definitions    = jsonencode(local.container_definitions)
  tags                     = var.tags

  runtime_platform {
    operating_system_family = var.runtime_platform.operating_system_family
    cpu_architecture        = var.runtime_platform.cpu_architecture
  }

  dynamic "ephemeral_storage" {
    for_each = var.ephemeral_storage_gib == null ? [] : [var.ephemeral_storage_gib]
    content {
      size_in_gib = ephemeral_storage.value
    }
  }

  # The first task must not start before IAM has the execution role's permissions
  # nor before the log group exists.
  depends_on = [var.execution_role_dependencies, aws_cloudwatch_log_group.this]

  lifecycle {
    precondition {
      condition     = !contains(var.requires_compatibilities, "FARGATE") || var.execution_role_arn != null || !local.uses_awslogs
      error_message = "Fargate containers using awslogs need execution_role_arn (the agent writes the logs with the task execution role)."
    }

    precondition {
      condition = var.execution_role_arn != null || !contains(var.requires_compatibilities, "FARGATE") || alltrue([
        for c in var.containers : !can(regex("^[0-9]{12}\\.dkr\\.ecr(-fips)?\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?/", c.image))
      ])
      error_message = "Fargate tasks pulling from Amazon ECR need execution_role_arn with ECR pull permissions."
    }
  }
}
