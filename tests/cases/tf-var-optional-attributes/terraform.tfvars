notebooks = {
  # Nothing set: every default.
  plain = {}
  # A key named; the nested object given but its key left out.
  keyed = {
    kms_key_id = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    encryption = { enabled = true }
  }
  # Explicit nulls take the defaults too; the nested key is set.
  nulls = {
    instance_type = null
    encryption = {
      enabled = null
      key     = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    }
  }
  # Encryption turned off: the nested notebook has no key.
  off = {
    encryption = { enabled = false }
  }
}
