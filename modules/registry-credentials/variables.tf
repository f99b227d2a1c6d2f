variable "name" {
  description = "Name of the secret. Exactly one of `name` and `name_prefix` must be set."
  type        = string
  default     = null

  validation {
    condition     = var.name == null || can(regex("^[A-Za-z0-9/_+=.@-]{1,512}$", var.name))
    error_message = "The secret name may contain only letters, digits and /_+=.@- (1 to 512 characters)."
  }

  validation {
    condition     = (var.name == null) != (var.name_prefix == null)
    error_message = "Set exactly one of name and name_prefix."
  }
}

variable "name_prefix" {
  description = "Prefix of the secret name; AWS appends a unique suffix. Exactly one of `name` and `name_prefix` must be set."
  type        = string
  default     = null

  validation {
    condition     = var.name_prefix == null || can(regex("^[A-Za-z0-9/_+=.@-]{1,486}$", var.name_prefix))
    error_message = "The secret name prefix may contain only letters, digits and /_+=.@- (1 to 486 characters)."
  }
}

variable "description" {
  description = "Description of the secret."
  type        = string
  default     = "Private registry credentials for Amazon ECS (repositoryCredentials)."
}

variable "create_secret_version" {
  description = "Store the credentials as a secret version. Set to false to create only the secret and put its value out of band (it must then be the JSON object {\"username\": ..., \"password\": ...})."
  type        = bool
  default     = true
}

variable "write_only" {
  description = "Store the credentials through the write-only attribute `secret_string_wo` (Terraform >= 1.11, AWS provider >= 5.90): they are read from the ephemeral variables `username_wo` and `password_wo` and never written to the plan or the state. Bump `secret_string_wo_version` to rotate them."
  type        = bool
  default     = false
}

variable "username" {
  description = "Registry user name, stored in the secret as `username` (when `write_only` is false). Lands in the state: prefer `write_only`."
  type        = string
  default     = null
  sensitive   = true

  validation {
    condition     = var.username == null || try(length(var.username) > 0, false)
    error_message = "The registry username must not be empty."
  }
}

variable "password" {
  description = "Registry password or access token, stored in the secret as `password` (when `write_only` is false). Lands in the state: prefer `write_only`."
  type        = string
  default     = null
  sensitive   = true

  validation {
    condition     = var.password == null || try(length(var.password) > 0, false)
    error_message = "The registry password must not be empty."
  }

  validation {
    condition     = var.write_only || !var.create_secret_version || (var.username != null && var.password != null)
    error_message = "Set username and password (or write_only = true with username_wo and password_wo, or create_secret_version = false)."
  }
}

variable "username_wo" {
  description = "Registry user name for the write-only path (`write_only = true`). Ephemeral: never stored in the plan or the state."
  type        = string
  default     = null
  ephemeral   = true
  sensitive   = true
}

variable "password_wo" {
  description = "Registry password or token for the write-only path (`write_only = true`). Ephemeral: never stored in the plan or the state."
  type        = string
  default     = null
  ephemeral   = true
  sensitive   = true
}

variable "secret_string_wo_version" {
  description = "Version of the write-only credentials. Terraform cannot see a write-only value change: increase this number to store new credentials."
  type        = number
  default     = 1

  validation {
    condition     = var.secret_string_wo_version >= 1 && floor(var.secret_string_wo_version) == var.secret_string_wo_version
    error_message = "secret_string_wo_version must be a whole number >= 1."
  }
}

variable "kms_key_arn" {
  description = "ARN of an existing customer managed KMS key to encrypt the secret with. Leave null to use the AWS managed key `aws/secretsmanager` (same account only) or to let `create_kms_key` create one. Its key policy must let the execution role use it (kms:Decrypt), directly or by delegating to the account."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>); aliases are not accepted."
  }

  validation {
    condition     = !(var.kms_key_arn != null && var.create_kms_key)
    error_message = "Set either kms_key_arn or create_kms_key, not both."
  }
}

variable "create_kms_key" {
  description = "Create a customer managed KMS key for the secret. Its key policy gives the account root full administration (so IAM policies apply) and lets `reader_principal_arns` and `cross_account_principal_arns` call kms:Decrypt only through Secrets Manager (`kms:ViaService`)."
  type        = bool
  default     = false
}

variable "kms_key_deletion_window_in_days" {
  description = "Waiting period before a created KMS key is deleted."
  type        = number
  default     = 30

  validation {
    condition     = var.kms_key_deletion_window_in_days >= 7 && var.kms_key_deletion_window_in_days <= 30
    error_message = "kms_key_deletion_window_in_days must be between 7 and 30."
  }
}

variable "reader_principal_arns" {
  description = "IAM role ARNs (task execution roles) in this account named in the created key's policy as allowed to decrypt through Secrets Manager. Not required when the roles get kms:Decrypt from an IAM policy (the key policy delegates to the account)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.reader_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|root)", a))])
    error_message = "reader_principal_arns must be IAM role ARNs."
  }
}

variable "cross_account_principal_arns" {
  description = "IAM principal ARNs in other accounts (their task execution roles) allowed to read the secret. Needs a customer managed key (`kms_key_arn` or `create_kms_key`): the AWS managed key `aws/secretsmanager` cannot be used from another account. A resource policy granting secretsmanager:GetSecretValue is attached to the secret."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.cross_account_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role/.+|root)$", a))])
    error_message = "cross_account_principal_arns must be IAM role ARNs or account roots (arn:aws:iam::<account>:root)."
  }

  validation {
    condition     = length(var.cross_account_principal_arns) == 0 || var.create_kms_key || var.kms_key_arn != null
    error_message = "Cross-account access needs a customer managed KMS key (kms_key_arn or create_kms_key = true): the AWS managed key aws/secretsmanager cannot be used from another account."
  }
}

variable "recovery_window_in_days" {
  description = "Days Secrets Manager keeps a deleted secret recoverable: 0 (delete at once) or 7 to 30."
  type        = number
  default     = 30

  validation {
    condition     = var.recovery_window_in_days == 0 || (var.recovery_window_in_days >= 7 && var.recovery_window_in_days <= 30)
    error_message = "recovery_window_in_days must be 0 or between 7 and 30."
  }
}

variable "replicas" {
  description = "Regions to replicate the secret to. A replica is encrypted with `kms_key_arn` of its entry (a key in that region) or, when null, with that region's `aws/secretsmanager` key."
  type = list(object({
    region      = string
    kms_key_arn = optional(string)
  }))
  default  = []
  nullable = false

  validation {
    condition     = alltrue([for r in var.replicas : can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", r.region))])
    error_message = "Each replica region must be an AWS region name such as eu-west-1."
  }

  validation {
    condition     = length(distinct([for r in var.replicas : r.region])) == length(var.replicas)
    error_message = "Replica regions must be unique."
  }
}

variable "tags" {
  description = "Tags for the secret and the created KMS key."
  type        = map(string)
  default     = {}
  nullable    = false
}
