// placeholder until the module has content; delete when adding the first real file
