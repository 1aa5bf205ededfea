# `cmkguard scan repo/examples/x`: the module source climbs out of the repository (repo/).
module "outside" {
  source = "../../../outside"
}
