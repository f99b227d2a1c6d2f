variable "name" {
  description = "Name of the IAM role."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.name))
    error_message = "An IAM role name has 1 to 64 characters among letters, digits and +=,.@_-."
  }
}

variable "path" {
  description = "IAM path of the role."
  type        = string
  default     = "/"

  validation {
    condition     = can(regex("^/([\\x21-\\x7e]*/)?$", var.path))
    error_message = "The path must begin and end with /."
  }
}

variable "description" {
  description = "Description of the role."
  type        = string
  default     = "Amazon ECS task execution role: pulls images, reads registry credentials and secrets, writes logs."
}

variable "permissions_boundary_arn" {
  description = "ARN of a managed policy to set as the role's permissions boundary. The boundary must allow every action granted here, or the grant has no effect."
  type        = string
  default     = null

  validation {
    condition     = var.permissions_boundary_arn == null || can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+$", var.permissions_boundary_arn))
    error_message = "permissions_boundary_arn must be an IAM managed policy ARN."
  }
}

variable "trust_source_account_id" {
  description = "Opt-in confused-deputy condition: add `aws:SourceAccount` = this account to the trust policy. Off by default: AWS documents these condition keys for the task role (ecs-tasks.amazonaws.com assuming a task role), not for the task execution role, and a trust condition on a key the service does not send makes the role impossible to assume (every task then fails with an AssumeRole error before pulling). Enable only after verifying the service sends the key for execution roles in your account."
  type        = string
  default     = null

  validation {
    condition     = var.trust_source_account_id == null || can(regex("^[0-9]{12}$", var.trust_source_account_id))
    error_message = "trust_source_account_id must be a 12-digit account id."
  }
}

variable "trust_source_arns" {
  description = "Opt-in confused-deputy condition: add `aws:SourceArn` (ArnLike) with these ARNs, e.g. arn:aws:ecs:<region>:<account>:*. Off (empty) by default: AWS documents these condition keys for the task role, not for the task execution role, and a trust condition on a key the service does not send makes the role impossible to assume."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for a in var.trust_source_arns : can(regex("^arn:aws[a-z-]*:ecs:", a))])
    error_message = "trust_source_arns must be Amazon ECS ARNs or ARN patterns (arn:aws:ecs:...)."
  }
}

variable "attach_ecs_managed_policy" {
  description = "Attach the AWS managed policy AmazonECSTaskExecutionRolePolicy (ECR pull from any repository and CloudWatch Logs streams on any group). Prefer `ecr_repository_arns` and `log_group_arns` for least privilege."
  type        = bool
  default     = false
}

variable "ecr_repository_arns" {
  description = "ECR repositories the role may pull from: ecr:BatchCheckLayerAvailability, ecr:GetDownloadUrlForLayer and ecr:BatchGetImage on these ARNs, plus ecr:GetAuthorizationToken on * (that action supports no resource)."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for a in var.ecr_repository_arns : can(regex("^arn:aws[a-z-]*:ecr:[a-z0-9-]+:[0-9]{12}:repository/.+$", a))])
    error_message = "ecr_repository_arns must be ECR repository ARNs (arn:aws:ecr:<region>:<account>:repository/<name>)."
  }
}

variable "registry_secret_arns" {
  description = "Secrets Manager secrets holding private registry credentials (repositoryCredentials.credentialsParameter): secretsmanager:GetSecretValue. Use the full ARN with its random 6-character suffix (or end the name with -??????): an ARN without it never matches the secret."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for a in var.registry_secret_arns : can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+(-[A-Za-z0-9]{6}|-\\?{6}|\\*)$", a))])
    error_message = "registry_secret_arns must be full Secrets Manager secret ARNs ending in the random suffix -xxxxxx (or -?????? / *)."
  }
}

variable "container_secret_arns" {
  description = "Secrets Manager secrets referenced by containers' `secrets[].valueFrom`: secretsmanager:GetSecretValue. A valueFrom with a JSON key or version (`arn:...:secret:name-AbCdEf:key::`) may be given as is; the policy names the secret ARN."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for a in var.container_secret_arns : can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[^:]+(-[A-Za-z0-9]{6}|-\\?{6}|\\*)(:.*)?$", a))])
    error_message = "container_secret_arns must be full Secrets Manager secret ARNs ending in the random suffix -xxxxxx (optionally followed by :json-key:version-stage:version-id)."
  }
}

variable "ssm_parameter_arns" {
  description = "SSM parameters referenced by containers' `secrets[].valueFrom`: ssm:GetParameters."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for a in var.ssm_parameter_arns : can(regex("^arn:aws[a-z-]*:ssm:[a-z0-9-]+:[0-9]{12}:parameter/.+$", a))])
    error_message = "ssm_parameter_arns must be SSM parameter ARNs (arn:aws:ssm:<region>:<account>:parameter/<name>)."
  }
}

variable "kms_key_arns" {
  description = "Customer managed KMS keys encrypting those secrets or SecureString parameters: kms:Decrypt, only through the services in `kms_via_services` (kms:ViaService)."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for a in var.kms_key_arns : can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", a))])
    error_message = "kms_key_arns must be KMS key ARNs (arn:aws:kms:<region>:<account>:key/<id>); aliases do not work in IAM policies for Decrypt."
  }
}

variable "kms_via_services" {
  description = "Services through which kms:Decrypt is allowed (kms:ViaService). Default: Secrets Manager and SSM in the current region. A secret in another region needs secretsmanager.<that region>.amazonaws.com."
  type        = list(string)
  default     = null

  validation {
    condition     = var.kms_via_services == null || alltrue([for s in coalesce(var.kms_via_services, []) : can(regex("^[a-z0-9-]+\\.[a-z0-9-]+\\.amazonaws\\.com$", s))])
    error_message = "kms_via_services entries look like secretsmanager.us-east-1.amazonaws.com."
  }
}

variable "log_group_arns" {
  description = "CloudWatch Logs groups the awslogs driver writes to: logs:CreateLogStream and logs:PutLogEvents on the group and its streams."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for a in var.log_group_arns : can(regex("^arn:aws[a-z-]*:logs:[a-z0-9-]+:[0-9]{12}:log-group:[^:*]+$", a))])
    error_message = "log_group_arns must be log group ARNs without a trailing :* (arn:aws:logs:<region>:<account>:log-group:<name>)."
  }
}

variable "allow_create_log_group" {
  description = "Also allow logs:CreateLogGroup on `log_group_arns` (needed when containers set awslogs-create-group = \"true\")."
  type        = bool
  default     = false
}

variable "inline_policy_documents" {
  description = "Extra inline policies, name => policy JSON, e.g. { registry = module.registry_credentials.execution_role_policy_json }. Keys must be known at plan time."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "tags" {
  description = "Tags for the role."
  type        = map(string)
  default     = {}
  nullable    = false
}
