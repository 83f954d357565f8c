from action_server import main

raise SystemExit(main())
