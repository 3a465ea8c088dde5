# labbook instructor access as a Terraform module.
#
# role = "management": in the organization's management account, the role
# the instructor assumes (trusting the instructor's account with the class's
# external id) with labbook's read-only operations, and sts:AssumeRole on
# the member role alone (never OrganizationAccountAccessRole).
# role = "member": in every member account, the read-only member role that
# only the management account's instructor role may assume.
#
# read-operations.json is kept equal to collect::OPERATIONS by a test.

terraform {
  required_version = ">= 1.3"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

variable "role" {
  description = "management or member"
  type        = string
  validation {
    condition     = contains(["management", "member"], var.role)
    error_message = "role is management or member."
  }
}

variable "instructor_account_id" {
  description = "The instructor's AWS account id (management only)"
  type        = string
  default     = ""
}

variable "external_id" {
  description = "The class's external id, the roster's external_id (management only)"
  type        = string
  default     = ""
}

variable "management_account_id" {
  description = "The organization's management account id (member only)"
  type        = string
  default     = ""
}

variable "role_name" {
  description = "The roster's role_name"
  type        = string
  default     = "LabbookInstructor"
}

variable "member_role_name" {
  description = "The roster's member_role"
  type        = string
  default     = "LabbookReadOnly"
}

locals {
  # The read-only operations, written by scripts/sync-read-only-actions.py.
  read_operations = jsondecode(file("${path.module}/read-operations.json"))
  management      = var.role == "management"
}

data "aws_iam_policy_document" "trust" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
    principals {
      type = "AWS"
      identifiers = [
        local.management
        ? "arn:aws:iam::${var.instructor_account_id}:root"
        : "arn:aws:iam::${var.management_account_id}:role/${var.role_name}"
      ]
    }
    dynamic "condition" {
      for_each = local.management ? [var.external_id] : []
      content {
        test     = "StringEquals"
        variable = "sts:ExternalId"
        values   = [condition.value]
      }
    }
  }
}

data "aws_iam_policy_document" "read" {
  statement {
    sid       = "LabbookReadOnly"
    effect    = "Allow"
    actions   = local.read_operations
    resources = ["*"]
  }
  dynamic "statement" {
    for_each = local.management ? [var.member_role_name] : []
    content {
      sid       = "AssumeTheMemberRoleOnly"
      effect    = "Allow"
      actions   = ["sts:AssumeRole"]
      resources = ["arn:aws:iam::*:role/${statement.value}"]
    }
  }
}

resource "aws_iam_role" "this" {
  name                 = local.management ? var.role_name : var.member_role_name
  max_session_duration = 3600
  assume_role_policy   = data.aws_iam_policy_document.trust.json
}

resource "aws_iam_role_policy" "read" {
  name   = "labbook-read-only"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.read.json
}

output "role_arn" {
  description = "The role's ARN (give the management one to your instructor)"
  value       = aws_iam_role.this.arn
}
