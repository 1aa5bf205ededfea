output "key_arn" {
  value = local.arn
}
