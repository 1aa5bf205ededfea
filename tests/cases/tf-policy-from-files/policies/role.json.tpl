{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Principal": {"AWS": "${role_arn}"},
    "Action": [%{ for i, a in actions }%{ if i > 0 }, %{ endif }"${a}"%{ endfor }],
    "Resource": "*"
  }]
}
