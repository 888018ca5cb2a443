#!/usr/bin/env node
import { run } from '../lib/cli/main'
import { dropKafkajsTimerWarning } from '../lib/cli/quiet-warnings'

dropKafkajsTimerWarning()
void run()
