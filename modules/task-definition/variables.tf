variable "family" {
  description = "Task definition family."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,255}$", var.family))
    error_message = "The family has 1 to 255 letters, digits, hyphens and underscores."
  }
}

variable "containers" {
  description = <<-EOT
    Containers of the task. `registry_credentials_secret_arn` becomes `repositoryCredentials.credentialsParameter`
    (a private non-ECR registry; needs `execution_role_arn`). `secrets` maps environment variable names to
    Secrets Manager or SSM ARNs (`valueFrom`; needs `execution_role_arn`). Without `log_configuration`, a container
    logs to the module's awslogs group when `enable_awslogs` is true.
  EOT
  type = list(object({
    name                            = string
    image                           = string
    essential                       = optional(bool, true)
    cpu                             = optional(number)
    memory                          = optional(number)
    memory_reservation              = optional(number)
    command                         = optional(list(string))
    entry_point                     = optional(list(string))
    working_directory               = optional(string)
    user                            = optional(string)
    readonly_root_filesystem        = optional(bool)
    registry_credentials_secret_arn = optional(string)
    environment                     = optional(map(string), {})
    secrets                         = optional(map(string), {})
    port_mappings = optional(list(object({
      container_port = number
      host_port      = optional(number)
      protocol       = optional(string, "tcp")
      name           = optional(string)
      app_protocol   = optional(string)
    })), [])
    health_check = optional(object({
      command      = list(string)
      interval     = optional(number, 30)
      timeout      = optional(number, 5)
      retries      = optional(number, 3)
      start_period = optional(number, 0)
    }))
    log_configuration = optional(object({
      log_driver     = string
      options        = optional(map(string), {})
      secret_options = optional(map(string), {})
    }))
  }))

  validation {
    condition     = length(var.containers) > 0 && length(var.containers) <= 10
    error_message = "A task definition has 1 to 10 containers."
  }

  validation {
    condition     = length(distinct([for c in var.containers : c.name])) == length(var.containers)
    error_message = "Container names must be unique."
  }

  validation {
    condition     = anytrue([for c in var.containers : c.essential])
    error_message = "At least one container must be essential."
  }

  # Docker reference grammar: [registry[:port]/]path[:tag][@sha256:digest]; the path is lowercase.
  validation {
    condition = alltrue([for c in var.containers : can(regex(
      "^(?:(?:localhost|[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+|[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?:[0-9]+)(?::[0-9]+)?/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$",
      c.image
    ))])
    error_message = "Every image must be a valid reference: [registry/]repository[:tag][@sha256:<64 hex>], with a lowercase repository path (no uppercase letters), a tag of [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}."
  }

  validation {
    condition = alltrue([for c in var.containers : c.registry_credentials_secret_arn == null || !can(regex(
      "^[0-9]{12}\\.dkr\\.ecr(-fips)?\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?/", c.image
    ))])
    error_message = "Do not set registry_credentials_secret_arn on an Amazon ECR image: ECR pulls authenticate with the execution role (ECR permissions), not repositoryCredentials."
  }

  validation {
    condition = alltrue([for c in var.containers : c.registry_credentials_secret_arn == null || can(regex(
      "^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$", c.registry_credentials_secret_arn
    ))])
    error_message = "registry_credentials_secret_arn must be a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>-<suffix>)."
  }

  validation {
    condition = var.execution_role_arn != null || alltrue([
      for c in var.containers : c.registry_credentials_secret_arn == null && length(c.secrets) == 0
    ])
    error_message = "Containers with registry credentials (repositoryCredentials) or secrets need execution_role_arn: the agent reads them with the task execution role."
  }

  validation {
    condition = alltrue(flatten([for c in var.containers : [
      for v in values(c.secrets) : can(regex("^arn:aws[a-z-]*:(secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+|ssm:[a-z0-9-]+:[0-9]{12}:parameter/.+)$", v))
    ]]))
    error_message = "Every secrets value must be a Secrets Manager secret ARN or an SSM parameter ARN."
  }

  validation {
    condition = alltrue(flatten([for c in var.containers : [
      for p in c.port_mappings : p.container_port >= 1 && p.container_port <= 65535 && contains(["tcp", "udp"], p.protocol)
    ]]))
    error_message = "Port mappings need a container_port between 1 and 65535 and protocol tcp or udp."
  }

  validation {
    condition = var.network_mode != "awsvpc" || alltrue(flatten([for c in var.containers : [
      for p in c.port_mappings : p.host_port == null || p.host_port == p.container_port
    ]]))
    error_message = "With network_mode awsvpc, host_port must be omitted or equal container_port."
  }
}

variable "requires_compatibilities" {
  description = "Launch types the task definition is validated against: FARGATE, EC2 and/or EXTERNAL."
  type        = list(string)
  default     = ["FARGATE"]
  nullable    = false

  validation {
    condition     = length(var.requires_compatibilities) > 0 && alltrue([for c in var.requires_compatibilities : contains(["FARGATE", "EC2", "EXTERNAL"], c)])
    error_message = "requires_compatibilities entries must be FARGATE, EC2 or EXTERNAL."
  }
}

variable "network_mode" {
  description = "Docker networking mode: awsvpc (required on Fargate), bridge, host or none."
  type        = string
  default     = "awsvpc"

  validation {
    condition     = contains(["awsvpc", "bridge", "host", "none"], var.network_mode)
    error_message = "network_mode must be awsvpc, bridge, host or none."
  }

  validation {
    condition     = !contains(var.requires_compatibilities, "FARGATE") || var.network_mode == "awsvpc"
    error_message = "Fargate tasks must use network_mode awsvpc."
  }
}

variable "cpu" {
  description = "Task CPU units. On Fargate one of 256, 512, 1024, 2048, 4096, 8192, 16384, in a valid combination with `memory`."
  type        = number
  default     = 256

  validation {
    condition     = !contains(var.requires_compatibilities, "FARGATE") || contains([256, 512, 1024, 2048, 4096, 8192, 16384], var.cpu)
    error_message = "Fargate task cpu must be 256, 512, 1024, 2048, 4096, 8192 or 16384."
  }
}

variable "memory" {
  description = "Task memory (MiB). On Fargate: 256 CPU → 512, 1024, 2048; 512 → 1024–4096; 1024 → 2048–8192; 2048 → 4096–16384 (steps of 1024); 4096 → 8192–30720 (1024); 8192 → 16384–61440 (4096); 16384 → 32768–122880 (8192)."
  type        = number
  default     = 512

  validation {
    condition = !contains(var.requires_compatibilities, "FARGATE") || (
      var.cpu == 256 ? contains([512, 1024, 2048], var.memory) :
      var.cpu == 512 ? var.memory >= 1024 && var.memory <= 4096 && var.memory % 1024 == 0 :
      var.cpu == 1024 ? var.memory >= 2048 && var.memory <= 8192 && var.memory % 1024 == 0 :
      var.cpu == 2048 ? var.memory >= 4096 && var.memory <= 16384 && var.memory % 1024 == 0 :
      var.cpu == 4096 ? var.memory >= 8192 && var.memory <= 30720 && var.memory % 1024 == 0 :
      var.cpu == 8192 ? var.memory >= 16384 && var.memory <= 61440 && var.memory % 4096 == 0 :
      var.cpu == 16384 ? var.memory >= 32768 && var.memory <= 122880 && var.memory % 8192 == 0 :
      false
    )
    error_message = "This cpu/memory pair is not a Fargate combination (see the memory variable's description)."
  }
}

variable "runtime_platform" {
  description = "Operating system family and CPU architecture of the image (the image manifest must contain this platform)."
  type = object({
    operating_system_family = optional(string, "LINUX")
    cpu_architecture        = optional(string, "X86_64")
  })
  default  = {}
  nullable = false

  validation {
    condition     = contains(["LINUX", "WINDOWS_SERVER_2019_FULL", "WINDOWS_SERVER_2019_CORE", "WINDOWS_SERVER_2022_FULL", "WINDOWS_SERVER_2022_CORE", "WINDOWS_SERVER_2025_FULL", "WINDOWS_SERVER_2025_CORE", "WINDOWS_SERVER_2004_CORE", "WINDOWS_SERVER_20H2_CORE"], var.runtime_platform.operating_system_family)
    error_message = "Unknown operating_system_family."
  }

  validation {
    condition     = contains(["X86_64", "ARM64"], var.runtime_platform.cpu_architecture)
    error_message = "cpu_architecture must be X86_64 or ARM64."
  }
}

variable "ephemeral_storage_gib" {
  description = "Fargate ephemeral storage in GiB (21 to 200); null keeps the 20 GiB default."
  type        = number
  default     = null

  validation {
    condition     = var.ephemeral_storage_gib == null || (coalesce(var.ephemeral_storage_gib, 21) >= 21 && coalesce(var.ephemeral_storage_gib, 21) <= 200)
    error_message = "ephemeral_storage_gib must be between 21 and 200."
  }
}

variable "execution_role_arn" {
  description = "ARN of the task execution role (the execution-role module's `arn`). Required for ECR images on Fargate, repositoryCredentials, secrets and awslogs."
  type        = string
  default     = null

  validation {
    condition     = var.execution_role_arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", var.execution_role_arn))
    error_message = "execution_role_arn must be an IAM role ARN."
  }
}

variable "execution_role_dependencies" {
  description = "IDs of the execution role's policies and attachments (the execution-role module's `policy_dependencies`). The task definition depends on them, so the first task does not start before IAM has the permissions."
  type        = list(string)
  default     = []
  nullable    = false
}

variable "task_role_arn" {
  description = "ARN of the task role (the application's own AWS permissions)."
  type        = string
  default     = null

  validation {
    condition     = var.task_role_arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", var.task_role_arn))
    error_message = "task_role_arn must be an IAM role ARN."
  }
}

variable "enable_awslogs" {
  description = "Give containers without their own `log_configuration` an awslogs configuration writing to `log_group_name`."
  type        = bool
  default     = true
}

variable "create_log_group" {
  description = "Create the CloudWatch Logs group `log_group_name` (otherwise it must exist: the awslogs driver does not create it unless awslogs-create-group is set and the role may logs:CreateLogGroup)."
  type        = bool
  default     = true
}

variable "log_group_name" {
  description = "CloudWatch Logs group for awslogs; default /ecs/<family>."
  type        = string
  default     = null

  validation {
    condition     = var.log_group_name == null || can(regex("^[A-Za-z0-9_/.#-]{1,512}$", var.log_group_name))
    error_message = "A log group name has 1 to 512 characters among letters, digits and _/.#-."
  }
}

variable "log_retention_in_days" {
  description = "Retention of the created log group."
  type        = number
  default     = 30

  validation {
    condition     = contains([0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_in_days)
    error_message = "log_retention_in_days must be a value CloudWatch Logs accepts (0 = never expire)."
  }
}

variable "log_kms_key_arn" {
  description = "KMS key ARN encrypting the created log group (its key policy must allow the logs service)."
  type        = string
  default     = null
}

variable "log_stream_prefix" {
  description = "awslogs-stream-prefix of the default log configuration."
  type        = string
  default     = "ecs"
}

variable "tags" {
  description = "Tags for the task definition and the log group."
  type        = map(string)
  default     = {}
  nullable    = false
}
