key = "alias/team"
