variable "name" {
  type = string
}

data "aws_iam_policy_document" "this" {
  statement {
    sid         = "AllButIdentityAdministration"
    not_actions = ["iam:*", "organizations:*", "account:*"]
    resources   = ["*"]
  }
  statement {
    sid           = "NoSecretsOutsideApps"
    effect        = "Deny"
    actions       = ["secretsmanager:*"]
    not_resources = ["arn:aws:secretsmanager:*:*:secret:apps/*"]
  }
}

resource "aws_iam_policy" "this" {
  name   = var.name
  path   = "/boundaries/"
  policy = data.aws_iam_policy_document.this.json
}

output "arn" {
  value = aws_iam_policy.this.arn
}
