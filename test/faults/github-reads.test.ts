// The GitHub fault cases of the calls that read: the file on the base commit, the comments.
import { githubFaultCases } from '../support/github-fault-cases.js';

githubFaultCases(['read base file', 'list comments']);
