# Offline tests: the AWS provider is mocked, nothing is created.

mock_provider "aws" {
  mock_data "aws_region" {
    defaults = { name = "us-east-1" }
  }
}

variables {
  family             = "app"
  execution_role_arn = "arn:aws:iam::123456789012:role/app-execution"
  containers = [{
    name                            = "api"
    image                           = "ghcr.io/acme/api:1.4.2"
    registry_credentials_secret_arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:registry/ghcr-AbCdEf"
    port_mappings                   = [{ container_port = 8080 }]
    environment                     = { LOG_LEVEL = "info", APP_ENV = "prod" }
    secrets                         = { DB_PASSWORD = "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-GhIjKl:password::" }
    health_check                    = { command = ["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"] }
  }]
}

run "container_definition_json" {
  command = apply

  assert {
    condition = jsondecode(aws_ecs_task_definition.this.container_definitions) == [{
      name      = "api"
      image     = "ghcr.io/acme/api:1.4.2"
      essential = true
      repositoryCredentials = {
        credentialsParameter = "arn:aws:secretsmanager:us-east-1:123456789012:secret:registry/ghcr-AbCdEf"
      }
      portMappings = [{ containerPort = 8080, hostPort = 8080, protocol = "tcp" }]
      environment  = [{ name = "APP_ENV", value = "prod" }, { name = "LOG_LEVEL", value = "info" }]
      secrets = [{
        name      = "DB_PASSWORD"
        valueFrom = "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-GhIjKl:password::"
      }]
      healthCheck = {
        command     = ["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"]
        interval    = 30
        timeout     = 5
        retries     = 3
        startPeriod = 0
      }
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = "/ecs/app"
          awslogs-region        = "us-east-1"
          awslogs-stream-prefix = "ecs"
        }
      }
    }]
    error_message = "The container definition JSON must be exactly what the agent expects, without null fields."
  }

  assert {
    condition = (
      aws_ecs_task_definition.this.requires_compatibilities == toset(["FARGATE"]) &&
      aws_ecs_task_definition.this.network_mode == "awsvpc" &&
      aws_ecs_task_definition.this.cpu == "256" &&
      aws_ecs_task_definition.this.memory == "512" &&
      aws_ecs_task_definition.this.execution_role_arn == "arn:aws:iam::123456789012:role/app-execution" &&
      aws_ecs_task_definition.this.runtime_platform[0].operating_system_family == "LINUX" &&
      aws_ecs_task_definition.this.runtime_platform[0].cpu_architecture == "X86_64"
    )
    error_message = "Fargate task-level settings."
  }

  assert {
    condition     = aws_cloudwatch_log_group.this[0].name == "/ecs/app" && aws_cloudwatch_log_group.this[0].retention_in_days == 30
    error_message = "The log group is created with the default name and retention."
  }
}

run "ec2_bridge_own_logging" {
  command = apply

  variables {
    requires_compatibilities = ["EC2"]
    network_mode             = "bridge"
    cpu                      = 300
    memory                   = 700
    execution_role_arn       = null
    create_log_group         = false
    runtime_platform         = { cpu_architecture = "ARM64" }
    containers = [{
      name              = "web"
      image             = "public.ecr.aws/nginx/nginx:1.27@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
      memory            = 256
      port_mappings     = [{ container_port = 80 }]
      log_configuration = { log_driver = "json-file", options = { max-size = "10m" } }
    }]
  }

  assert {
    condition = jsondecode(aws_ecs_task_definition.this.container_definitions)[0] == {
      name             = "web"
      image            = "public.ecr.aws/nginx/nginx:1.27@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
      essential        = true
      memory           = 256
      portMappings     = [{ containerPort = 80, hostPort = 0, protocol = "tcp" }]
      environment      = []
      secrets          = []
      logConfiguration = { logDriver = "json-file", options = { max-size = "10m" } }
    }
    error_message = "EC2 bridge mode: dynamic host port, the container's own logging, no credentials."
  }

  assert {
    condition     = length(aws_cloudwatch_log_group.this) == 0 && aws_ecs_task_definition.this.execution_role_arn == null
    error_message = "No log group and no execution role."
  }
}

run "waits_for_execution_role_policies" {
  command = plan

  variables {
    execution_role_dependencies = ["app-execution:task-execution"]
  }

  # The dependency itself is visible only in the graph; this checks the input is accepted and the plan is built.
  assert {
    condition     = aws_ecs_task_definition.this.family == "app"
    error_message = "Plan with dependencies."
  }
}

run "larger_fargate_size" {
  command = plan
  variables {
    cpu                   = 8192
    memory                = 20480
    ephemeral_storage_gib = 50
  }
  assert {
    condition     = aws_ecs_task_definition.this.ephemeral_storage[0].size_in_gib == 50
    error_message = "Ephemeral storage is set."
  }
}

run "rejects_uppercase_image" {
  command = plan
  variables {
    containers = [{ name = "api", image = "ghcr.io/Acme/api:1.4.2" }]
  }
  expect_failures = [var.containers]
}

run "rejects_bad_tag" {
  command = plan
  variables {
    containers = [{ name = "api", image = "ghcr.io/acme/api:-bad" }]
  }
  expect_failures = [var.containers]
}

run "rejects_short_digest" {
  command = plan
  variables {
    containers = [{ name = "api", image = "nginx@sha256:abc" }]
  }
  expect_failures = [var.containers]
}

run "rejects_empty_image" {
  command = plan
  variables {
    containers = [{ name = "api", image = "" }]
  }
  expect_failures = [var.containers]
}

run "rejects_credentials_on_ecr_image" {
  command = plan
  variables {
    containers = [{
      name                            = "api"
      image                           = "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1.0.0"
      registry_credentials_secret_arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:registry/ghcr-AbCdEf"
    }]
  }
  expect_failures = [var.containers]
}

run "rejects_credentials_without_execution_role" {
  command = plan
  variables {
    execution_role_arn = null
    enable_awslogs     = false
  }
  expect_failures = [var.containers]
}

run "rejects_secrets_without_execution_role" {
  command = plan
  variables {
    execution_role_arn = null
    enable_awslogs     = false
    containers = [{
      name    = "api"
      image   = "ghcr.io/acme/api:1.4.2"
      secrets = { TOKEN = "arn:aws:ssm:us-east-1:123456789012:parameter/app/token" }
    }]
  }
  expect_failures = [var.containers]
}

run "rejects_credentials_parameter_not_a_secret" {
  command = plan
  variables {
    containers = [{
      name                            = "api"
      image                           = "ghcr.io/acme/api:1.4.2"
      registry_credentials_secret_arn = "arn:aws:ssm:us-east-1:123456789012:parameter/registry"
    }]
  }
  expect_failures = [var.containers]
}

run "rejects_awslogs_without_execution_role" {
  command = plan
  variables {
    execution_role_arn = null
    containers         = [{ name = "web", image = "public.ecr.aws/nginx/nginx:1.27" }]
  }
  expect_failures = [aws_ecs_task_definition.this]
}

run "rejects_ecr_without_execution_role_on_fargate" {
  command = plan
  variables {
    execution_role_arn = null
    enable_awslogs     = false
    containers         = [{ name = "api", image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1.0.0" }]
  }
  expect_failures = [aws_ecs_task_definition.this]
}

run "rejects_bad_fargate_combination" {
  command = plan
  variables {
    cpu    = 256
    memory = 4096
  }
  expect_failures = [var.memory]
}

run "rejects_bad_fargate_cpu" {
  command = plan
  variables {
    cpu = 300
  }
  expect_failures = [var.cpu]
}

run "rejects_bridge_on_fargate" {
  command = plan
  variables {
    network_mode = "bridge"
  }
  expect_failures = [var.network_mode]
}

run "rejects_duplicate_names" {
  command = plan
  variables {
    containers = [{ name = "a", image = "nginx:1.27" }, { name = "a", image = "nginx:1.27" }]
  }
  expect_failures = [var.containers]
}

run "rejects_no_essential_container" {
  command = plan
  variables {
    containers = [{ name = "a", image = "nginx:1.27", essential = false }]
  }
  expect_failures = [var.containers]
}

run "rejects_bad_architecture" {
  command = plan
  variables {
    runtime_platform = { cpu_architecture = "AMD64" }
  }
  expect_failures = [var.runtime_platform]
}
