from cloud_broker.cli import main

main()
