"""The name rules' data: Unicode's confusables and the reserved names list."""
