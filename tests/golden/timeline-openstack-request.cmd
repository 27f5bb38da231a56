timeline ../shared/fixtures/logs/loghub/OpenStack_2k.log --request req-7c98765b-5005-4eb1-b863-0e66d8c312c4
