import NexshApp

// The app is the NexshApp library, so that tests can run a command line in-process.
await NexshProgram.main()
